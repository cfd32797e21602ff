import BallastNN
import Foundation
import Testing

@Suite("SafeTensors")
struct SafeTensorsTests {
    /// Little-endian bytes of an integer.
    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    /// A file assembled by hand: length, header text, data.
    static func file(header: String, data: [UInt8]) -> [UInt8] {
        le(UInt64(header.utf8.count)) + Array(header.utf8) + data
    }

    static let sample: [String: StoredTensor] = [
        "layer.0.weight": StoredTensor(shape: [2, 3], values: [1, -2, 3.5, 0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]),
        "layer.0.bias": StoredTensor(shape: [2], values: [0.25, -0.125]),
        "scale": StoredTensor(shape: [], values: [7]),
        "empty": StoredTensor(shape: [0, 4], values: []),
    ]

    @Test("round trip keeps every tensor, shape, value and metadata")
    func roundTrip() throws {
        let metadata = ["format": "pt", "note": "quote \" backslash \\ newline \n tab \t é"]
        let bytes = try SafeTensors.encode(Self.sample, metadata: metadata)
        let file = try SafeTensors.decode(bytes)
        #expect(file.tensors == Self.sample)
        #expect(file.metadata == metadata)
        // Bit-exact: negative zero and NaN payloads survive.
        let special = try SafeTensors.decode(SafeTensors.encode(["x": StoredTensor(shape: [2], values: [-0.0, .nan])]))
        #expect(special.tensors["x"]?.values.map(\.bitPattern) == [Float(-0.0).bitPattern, Float.nan.bitPattern])
    }

    @Test("layout is the reference one: compact JSON, metadata first, names sorted, header padded to 8 bytes")
    func referenceLayout() throws {
        let bytes = try SafeTensors.encode(
            ["b": StoredTensor(shape: [1], values: [2]), "a": StoredTensor(shape: [1, 2], values: [1, -1])],
            metadata: ["format": "pt"])
        let header = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let padded = header + String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        let data = Self.le(Float(1).bitPattern) + Self.le(Float(-1).bitPattern) + Self.le(Float(2).bitPattern)
        #expect(bytes == Self.file(header: padded, data: data))
        #expect((bytes.count - 12) % 8 == 0)
    }

    @Test("a header written by hand byte by byte reads back, F16/BF16/F64 converted to Float")
    func handWritten() throws {
        // Offsets deliberately not in name order, as other writers may produce.
        let header = #"{"z":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"h":{"dtype":"F16","shape":[4],"data_offsets":[8,16]},"# +
            #""b":{"dtype":"BF16","shape":[2],"data_offsets":[16,20]},"d":{"dtype":"F64","shape":[1,1],"data_offsets":[20,28]}}"#
        var data: [UInt8] = []
        data += [0x00, 0x00, 0x80, 0x3F]               // 1.0
        data += [0x00, 0x00, 0x20, 0xC1]               // -10.0
        data += Self.le(UInt16(0x3C00)) + Self.le(UInt16(0xC000))  // 1.0, -2.0 in binary16
        data += Self.le(UInt16(0x0001)) + Self.le(UInt16(0x7C00))  // smallest subnormal 2⁻²⁴, +∞
        data += Self.le(UInt16(0x3F80)) + Self.le(UInt16(0x4049))  // 1.0, 3.140625 in bfloat16
        data += Self.le(Double(0.1).bitPattern)
        let file = try SafeTensors.decode(Self.file(header: header, data: data))
        #expect(file.tensors["z"] == StoredTensor(shape: [2], values: [1, -10]))
        #expect(file.tensors["h"] == StoredTensor(shape: [4], values: [1, -2, 0x1p-24, .infinity]))
        #expect(file.tensors["b"] == StoredTensor(shape: [2], values: [1, 3.140625]))
        #expect(file.tensors["d"] == StoredTensor(shape: [1, 1], values: [Float(0.1)]))
        #expect(file.metadata.isEmpty)
        // PyTorch's batch norm saves num_batches_tracked as an I64 scalar; integers read as Float.
        let ints = Self.file(header: #"{"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"m":{"dtype":"I8","shape":[2],"data_offsets":[8,10]},"# +
                             #""f":{"dtype":"BOOL","shape":[2],"data_offsets":[10,12]}}"#,
                             data: Self.le(Int64(-300)) + [0xFE, 0x05] + [0x01, 0x00])
        let decoded = try SafeTensors.decode(ints)
        #expect(decoded.tensors["n"] == StoredTensor(shape: [], values: [-300]))
        #expect(decoded.tensors["m"]?.values == [-2, 5] && decoded.tensors["f"]?.values == [1, 0])
    }

    @Test("truncated and corrupt files give errors naming the problem")
    func corrupt() throws {
        let good = try SafeTensors.encode(["w": StoredTensor(shape: [3], values: [1, 2, 3])])
        #expect(throws: CheckpointError.truncated("5 bytes; a safetensors file starts with an 8-byte header length")) {
            try SafeTensors.decode(good.prefix(5))
        }
        #expect { try SafeTensors.decode(good.prefix(20)) } throws: { error in
            guard case .truncated(let why) = error as? CheckpointError else { return false }
            return why.contains("header declares")
        }
        #expect { try SafeTensors.decode(good.dropLast(2)) } throws: { error in
            guard case .truncated(let why) = error as? CheckpointError else { return false }
            return why.contains("'w'") && why.contains("ends at data byte 12") && why.contains("10 bytes")
        }
        #expect { try SafeTensors.decode(good + [0, 0, 0, 0]) } throws: { error in
            guard case .invalidHeader(let why) = error as? CheckpointError else { return false }
            return why.contains("trailing")
        }
        #expect { try SafeTensors.decode(Self.le(UInt64.max) + [0]) } throws: { error in
            if case .invalidHeader = error as? CheckpointError { return true } else { return false }
        }
        #expect { try SafeTensors.decode(Self.file(header: "{not json", data: [])) } throws: { error in
            if case .invalidHeader = error as? CheckpointError { return true } else { return false }
        }
        let overlapping = Self.file(
            header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
            data: Array(repeating: 0, count: 8))
        #expect { try SafeTensors.decode(overlapping) } throws: { error in
            guard case let .invalidTensor(name, reason) = error as? CheckpointError else { return false }
            return name == "b" && reason.contains("overlap tensor 'a'")
        }
        let gap = Self.file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: Array(repeating: 0, count: 8))
        #expect { try SafeTensors.decode(gap) } throws: { error in
            guard case let .invalidTensor(name, reason) = error as? CheckpointError else { return false }
            return name == "a" && reason.contains("gaps")
        }
        let wrongSize = Self.file(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8))
        #expect { try SafeTensors.decode(wrongSize) } throws: { error in
            guard case let .invalidTensor(name, reason) = error as? CheckpointError else { return false }
            return name == "a" && reason.contains("needs 12 bytes")
        }
        let fp8 = Self.file(header: #"{"q":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8))
        #expect(throws: CheckpointError.unsupportedDType(name: "q", dtype: "F8_E4M3")) { try SafeTensors.decode(fp8) }
        #expect(CheckpointError.unsupportedDType(name: "q", dtype: "F8_E4M3").description
                == "tensor 'q' has dtype F8_E4M3; expected one of F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL")
        let badShape = Self.file(header: #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#, data: [])
        #expect { try SafeTensors.decode(badShape) } throws: { error in
            guard case .invalidTensor(let name, _) = error as? CheckpointError else { return false }
            return name == "a"
        }
    }

    @Test("encoding refuses values that do not fill the shape")
    func encodeValidates() {
        #expect { try SafeTensors.encode(["w": StoredTensor(shape: [2, 2], values: [1, 2, 3])]) } throws: { error in
            guard case let .invalidTensor(name, reason) = error as? CheckpointError else { return false }
            return name == "w" && reason.contains("holds 4 values but 3 were given")
        }
    }

    @Test("files are written atomically and read back; a missing file names its path")
    func files() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-safetensors-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        try SafeTensors.write(Self.sample, metadata: ["epoch": "3"], to: url)
        try SafeTensors.write(Self.sample, metadata: ["epoch": "4"], to: url)
        let file = try SafeTensors.read(contentsOf: url)
        #expect(file.tensors == Self.sample && file.metadata == ["epoch": "4"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["model.safetensors"])
        let missing = dir.appendingPathComponent("nope.safetensors")
        #expect(throws: CheckpointError.io(path: missing.path, reason: "no such file")) { try SafeTensors.read(contentsOf: missing) }
        try Data([1, 2, 3]).write(to: missing)
        #expect { try SafeTensors.read(contentsOf: missing) } throws: { error in
            guard case .file(let path, .truncated) = error as? CheckpointError else { return false }
            return path == missing.path
        }
    }
}
