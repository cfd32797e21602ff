import BallastCore
import Foundation

/// Saving and loading a network's weights as safetensors, under the parameters' names.
///
/// Every tensor is stored with its parameter's PyTorch shape (``Parameter/shape``: `[n]` for a
/// bias or batch-norm statistic, `[]` for `num_batches_tracked`), so that a PyTorch module with the
/// same names (`nn.Sequential` indices such as `"0.weight"`) can `load_state_dict` the file. Loading
/// checks every name and shape, and accepts either the PyTorch shape or `[rows, columns]`.
///
/// ```swift
/// try Checkpoint.save(network, to: url, metadata: ["epoch": "12"])
/// try Checkpoint.load(into: network, from: url)
/// ```
public enum Checkpoint {
    /// The tensors of `parameters`, each with its ``Parameter/shape``.
    /// - Throws: ``CheckpointError/duplicateName(_:)`` when two parameters share a name.
    public static func tensors(parameters: [Parameter]) throws -> [String: StoredTensor] {
        var out: [String: StoredTensor] = [:]
        for p in parameters {
            guard out[p.name] == nil else { throw CheckpointError.duplicateName(p.name) }
            out[p.name] = StoredTensor(shape: p.shape, values: p.value.storage)
        }
        return out
    }

    /// The tensors of a layer's parameters and buffers (see ``Checkpoint``).
    /// - Throws: ``CheckpointError/duplicateName(_:)`` when two tensors share a name.
    public static func tensors(_ layer: any Trainable) throws -> [String: StoredTensor] {
        try tensors(parameters: layer.parameters + layer.buffers)
    }

    /// Writes a layer's parameters and buffers to a safetensors file, atomically.
    /// - Parameters:
    ///   - layer: the network (parameters and buffers are saved).
    ///   - url: the file.
    ///   - metadata: string pairs stored in the header (`format=pt` is added unless given).
    /// - Throws: ``CheckpointError``.
    public static func save(_ layer: any Trainable, to url: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(tensors(layer), metadata: withFormat(metadata), to: url)
    }

    /// Writes parameters to a safetensors file, atomically, each with its ``Parameter/shape``.
    /// - Throws: ``CheckpointError``.
    public static func save(parameters: [Parameter], to url: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(tensors(parameters: parameters), metadata: withFormat(metadata), to: url)
    }

    /// The safetensors bytes of a layer (what ``save(_:to:metadata:)`` writes).
    /// - Throws: ``CheckpointError``.
    public static func encode(_ layer: any Trainable, metadata: [String: String] = [:]) throws -> [UInt8] {
        try SafeTensors.encode(tensors(layer), metadata: withFormat(metadata))
    }

    /// Sets each parameter's value from the tensor of the same name.
    /// - Parameters:
    ///   - parameters: the parameters to fill (their shapes are kept).
    ///   - file: decoded safetensors contents.
    ///   - allowUnexpected: accept tensors that no parameter asks for (otherwise an error lists them).
    /// - Throws: ``CheckpointError/missingTensor(name:available:)``,
    ///   ``CheckpointError/shapeMismatch(name:expected:found:)`` or
    ///   ``CheckpointError/unexpectedTensors(_:)``; no parameter is changed when one is thrown.
    public static func load(into parameters: [Parameter], from file: SafeTensorsFile, allowUnexpected: Bool = false) throws {
        var values: [Matrix] = []
        values.reserveCapacity(parameters.count)
        for p in parameters {
            guard let tensor = file.tensors[p.name] else {
                throw CheckpointError.missingTensor(name: p.name, available: file.tensors.keys.sorted())
            }
            let r = p.value.rows, c = p.value.columns
            guard tensor.shape == p.shape || tensor.shape == [r, c], tensor.values.count == r * c else {
                throw CheckpointError.shapeMismatch(name: p.name, expected: p.shape, found: tensor.shape)
            }
            values.append(Matrix(rows: r, columns: c, values: tensor.values))
        }
        if !allowUnexpected {
            let wanted = Set(parameters.map(\.name))
            let extra = file.tensors.keys.filter { !wanted.contains($0) }.sorted()
            guard extra.isEmpty else { throw CheckpointError.unexpectedTensors(extra) }
        }
        for (p, v) in zip(parameters, values) { p.value = v }
    }

    /// Loads a layer's parameters and buffers from a safetensors file.
    /// - Throws: as the `SafeTensorsFile` overload of `load(into:from:allowUnexpected:)`, wrapped in
    ///   ``CheckpointError/file(path:_:)``; ``CheckpointError/io(path:reason:)`` when unreadable.
    public static func load(into layer: any Trainable, from url: URL, allowUnexpected: Bool = false) throws {
        try load(into: layer.parameters + layer.buffers, from: url, allowUnexpected: allowUnexpected)
    }

    /// Loads parameters from a safetensors file.
    /// - Throws: as the `SafeTensorsFile` overload of `load(into:from:allowUnexpected:)`, wrapped in
    ///   ``CheckpointError/file(path:_:)``; ``CheckpointError/io(path:reason:)`` when unreadable.
    public static func load(into parameters: [Parameter], from url: URL, allowUnexpected: Bool = false) throws {
        let file = try SafeTensors.read(contentsOf: url)
        do {
            try load(into: parameters, from: file, allowUnexpected: allowUnexpected)
        } catch let error as CheckpointError {
            throw CheckpointError.file(path: url.path, error)
        }
    }

    private static func withFormat(_ metadata: [String: String]) -> [String: String] {
        var m = metadata
        if m["format"] == nil { m["format"] = "pt" }
        return m
    }
}
