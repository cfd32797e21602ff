import BallastCore
import BallastNN
import Foundation
import Testing

@Suite("Checkpoint")
struct CheckpointTests {
    static func network(seed: UInt64) -> Sequential {
        var rng = Xoshiro256StarStar(seed: seed)
        return Sequential([Linear(3, 4, name: "0", using: &rng), BatchNorm1d(features: 4, name: "1"),
                           Activation(.relu), Linear(4, 1, name: "3", using: &rng)])
    }

    @Test("a network's weights and running statistics survive save and load, with PyTorch's shapes")
    func saveLoad() throws {
        let source = Self.network(seed: 1)
        (source.layers[1] as? BatchNorm1d)?.runningMean.value = Matrix(rows: 1, columns: 4, values: [1, 2, 3, 4])
        let tensors = try Checkpoint.tensors(source)
        #expect(tensors.keys.sorted() == ["0.bias", "0.weight", "1.bias", "1.num_batches_tracked", "1.running_mean", "1.running_var",
                                          "1.weight", "3.bias", "3.weight"])
        #expect(tensors["1.num_batches_tracked"]?.shape == [])
        #expect(tensors["0.weight"]?.shape == [4, 3] && tensors["0.bias"]?.shape == [4])
        #expect(tensors["1.weight"]?.shape == [4] && tensors["1.running_mean"]?.shape == [4])
        #expect(tensors["3.weight"]?.shape == [1, 4] && tensors["3.bias"]?.shape == [1])

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-checkpoint-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("net.safetensors")
        try Checkpoint.save(source, to: url, metadata: ["epoch": "7"])
        let target = Self.network(seed: 2)
        #expect(target.parameters.map(\.value) != source.parameters.map(\.value))
        try Checkpoint.load(into: target, from: url)
        #expect(target.parameters.map(\.value) == source.parameters.map(\.value))
        #expect(target.buffers.map(\.value) == source.buffers.map(\.value))
        #expect(try SafeTensors.read(contentsOf: url).metadata == ["epoch": "7", "format": "pt"])
    }

    @Test("loading names the missing, misshapen or unexpected tensor and changes nothing")
    func loadErrors() throws {
        let a = Parameter(name: "a", value: Matrix(rows: 2, columns: 2, values: [1, 2, 3, 4]))
        let b = Parameter(name: "b", value: Matrix(rows: 1, columns: 3), shape: [3])
        let good = SafeTensorsFile(tensors: ["a": StoredTensor(shape: [2, 2], values: [5, 6, 7, 8]),
                                             "b": StoredTensor(shape: [3], values: [1, 1, 1])])
        var missing = good
        missing.tensors["b"] = nil
        #expect(throws: CheckpointError.missingTensor(name: "b", available: ["a"])) { try Checkpoint.load(into: [a, b], from: missing) }
        var wrong = good
        wrong.tensors["b"] = StoredTensor(shape: [3, 1], values: [1, 1, 1])
        #expect(throws: CheckpointError.shapeMismatch(name: "b", expected: [3], found: [3, 1])) { try Checkpoint.load(into: [a, b], from: wrong) }
        var extra = good
        extra.tensors["c"] = StoredTensor(shape: [], values: [0])
        #expect(throws: CheckpointError.unexpectedTensors(["c"])) { try Checkpoint.load(into: [a, b], from: extra) }
        #expect(a.value.storage == [1, 2, 3, 4])
        try Checkpoint.load(into: [a, b], from: extra, allowUnexpected: true)
        #expect(a.value.storage == [5, 6, 7, 8] && b.value.storage == [1, 1, 1])
        #expect(throws: CheckpointError.duplicateName("a")) { try Checkpoint.tensors(parameters: [a, a]) }
    }
}
