import Foundation

/// Reading and writing the safetensors format (Hugging Face), so that Ballast's weights can be
/// inspected and loaded by PyTorch users (`safetensors.torch.load_file`) and theirs by Ballast.
///
/// Layout: an unsigned 64-bit little-endian header length `N`; `N` bytes of UTF-8 JSON
/// `{"__metadata__": {"key": "value"}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}`;
/// then the data section, where each tensor occupies bytes `begin..<end` (relative to the section) in
/// row-major order, little-endian. Ballast writes as the reference implementation does: compact JSON,
/// `__metadata__` first (omitted when empty), tensors sorted by name (byte order) and laid out
/// contiguously in that order, the header padded with spaces to a multiple of 8 bytes, dtype `F32`.
///
/// Reading accepts `F32`, `F64`, `F16`, `BF16` and the integer dtypes of ``DType`` (converted to
/// `Float`) and validates like the
/// reference: offsets must tile the data section exactly (no gap, no overlap, nothing left over) and
/// each tensor's byte size must match its shape and dtype.
///
/// ```swift
/// let bytes = try SafeTensors.encode(["w": StoredTensor(shape: [2, 2], values: [1, 2, 3, 4])])
/// let file = try SafeTensors.decode(bytes)   // file.tensors["w"]?.values == [1, 2, 3, 4]
/// ```
public enum SafeTensors {
    /// The largest header accepted when reading (the reference implementation's limit, 100 MB).
    public static let maximumHeaderSize = 100_000_000

    /// The file bytes for `tensors` and `metadata`, stored as `F32`.
    /// - Parameters:
    ///   - tensors: tensors by name.
    ///   - metadata: free-form string pairs stored under `__metadata__`.
    /// - Throws: ``CheckpointError/invalidTensor(name:reason:)`` when a tensor's value count differs
    ///   from the product of its shape or a dimension is negative, or a tensor is named `__metadata__`.
    public static func encode(_ tensors: [String: StoredTensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        let names = tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var header = "{"
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                .map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            guard let tensor = tensors[name] else { continue }
            guard name != "__metadata__" else {
                throw CheckpointError.invalidTensor(name: name, reason: "the name is reserved for the metadata table")
            }
            guard let count = StoredTensor.elementCount(of: tensor.shape) else {
                throw CheckpointError.invalidTensor(name: name, reason: "shape \(tensor.shape) has a negative or too large dimension")
            }
            guard count == tensor.values.count else {
                throw CheckpointError.invalidTensor(name: name, reason: "shape \(tensor.shape) holds \(count) values but \(tensor.values.count) were given")
            }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + 4 * count)]}")
            offset += 4 * count
        }
        header += fields.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        headerBytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8))

        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        appendLittleEndian(UInt64(headerBytes.count), to: &out)
        out.append(contentsOf: headerBytes)
        for name in names {
            guard let values = tensors[name]?.values else { continue }
            if 1.littleEndian == 1 {
                values.withUnsafeBytes { out.append(contentsOf: $0) }
            } else {
                for v in values { appendLittleEndian(v.bitPattern, to: &out) }
            }
        }
        return out
    }

    /// The file bytes for decoded contents (see ``encode(_:metadata:)``).
    /// - Throws: as ``encode(_:metadata:)``.
    public static func encode(_ file: SafeTensorsFile) throws -> [UInt8] {
        try encode(file.tensors, metadata: file.metadata)
    }

    /// Decodes safetensors bytes.
    /// - Parameter bytes: a whole file.
    /// - Throws: ``CheckpointError/truncated(_:)`` when the bytes end early,
    ///   ``CheckpointError/invalidHeader(_:)`` for a malformed header,
    ///   ``CheckpointError/invalidTensor(name:reason:)`` for inconsistent shapes or offsets, and
    ///   ``CheckpointError/unsupportedDType(name:dtype:)`` for a dtype not in ``DType`` (such as `F8_E4M3` or `U64`).
    public static func decode(_ bytes: some Collection<UInt8>) throws -> SafeTensorsFile {
        if let file = try bytes.withContiguousStorageIfAvailable({ try decode(UnsafeRawBufferPointer($0)) }) {
            return file
        }
        return try Array(bytes).withUnsafeBytes { try decode($0) }
    }

    /// Reads and decodes a safetensors file.
    /// - Throws: ``CheckpointError/file(path:_:)`` wrapping a decoding error, or
    ///   ``CheckpointError/io(path:reason:)`` when the file cannot be read.
    public static func read(contentsOf url: URL) throws -> SafeTensorsFile {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw CheckpointError.io(path: url.path, reason: exists ? "cannot be read" : "no such file")
        }
        do {
            return try data.withUnsafeBytes { try decode($0) }
        } catch let error as CheckpointError {
            throw CheckpointError.file(path: url.path, error)
        }
    }

    /// Writes tensors to a safetensors file atomically: the bytes go to a temporary file in the same
    /// directory, which then replaces `url` in one rename, so a reader never sees half a file.
    /// - Throws: as ``encode(_:metadata:)``, or ``CheckpointError/io(path:reason:)`` when the file
    ///   cannot be written.
    public static func write(_ tensors: [String: StoredTensor], metadata: [String: String] = [:], to url: URL) throws {
        let bytes = try encode(tensors, metadata: metadata)
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw CheckpointError.io(path: url.path, reason: "cannot be written (\(error.localizedDescription))")
        }
    }

    // MARK: - Decoding

    private struct Entry {
        var name: String
        var dtype: DType
        var shape: [Int]
        var count: Int
        var begin: Int
        var end: Int
    }

    private static func decode(_ raw: UnsafeRawBufferPointer) throws -> SafeTensorsFile {
        guard raw.count >= 8 else {
            throw CheckpointError.truncated("\(raw.count) bytes; a safetensors file starts with an 8-byte header length")
        }
        let declared = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(maximumHeaderSize) else {
            throw CheckpointError.invalidHeader("declared header length \(declared) bytes exceeds the limit of \(maximumHeaderSize)")
        }
        let headerSize = Int(declared)
        guard raw.count - 8 >= headerSize else {
            throw CheckpointError.truncated("the header declares \(headerSize) bytes but only \(raw.count - 8) follow the length")
        }
        guard headerSize >= 2, raw[8] == UInt8(ascii: "{") else {
            throw CheckpointError.invalidHeader("the header must be a JSON object starting with '{' (length \(headerSize))")
        }
        let headerData = Data(raw[8..<(8 + headerSize)])
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: headerData)
        } catch {
            throw CheckpointError.invalidHeader("not valid JSON (\(error.localizedDescription))")
        }
        guard let table = object as? [String: Any] else { throw CheckpointError.invalidHeader("the header is not a JSON object") }

        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for name in table.keys.sorted() {
            let value = table[name]
            if name == "__metadata__" {
                guard let pairs = value as? [String: Any] else {
                    throw CheckpointError.invalidHeader("__metadata__ must be an object of strings")
                }
                for (key, v) in pairs {
                    guard let text = v as? String else {
                        throw CheckpointError.invalidHeader("__metadata__ value of '\(key)' is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            entries.append(try entry(name, value))
        }

        let dataSize = raw.count - 8 - headerSize
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var expected = 0
        var previous: Entry?
        for e in entries {
            if e.begin < expected, let previous {
                throw CheckpointError.invalidTensor(name: e.name, reason: "bytes \(e.begin)..<\(e.end) overlap tensor '\(previous.name)' (bytes \(previous.begin)..<\(previous.end))")
            }
            if e.begin > expected {
                throw CheckpointError.invalidTensor(name: e.name, reason: "starts at byte \(e.begin) but the previous tensor ends at \(expected): gaps are not allowed")
            }
            guard e.end <= dataSize else {
                throw CheckpointError.truncated("tensor '\(e.name)' ends at data byte \(e.end) but the data section has \(dataSize) bytes")
            }
            expected = e.end
            previous = e
        }
        guard expected == dataSize else {
            throw CheckpointError.invalidHeader("the tensors cover \(expected) bytes of data but the data section has \(dataSize) (trailing bytes)")
        }

        var tensors: [String: StoredTensor] = [:]
        let base = raw.baseAddress.map { UnsafeRawPointer($0) + 8 + headerSize }
        for e in entries {
            let values = e.count == 0 ? [] : base.map { e.dtype.convert($0 + e.begin, count: e.count) } ?? []
            tensors[e.name] = StoredTensor(shape: e.shape, values: values)
        }
        return SafeTensorsFile(tensors: tensors, metadata: metadata)
    }

    private static func entry(_ name: String, _ value: Any?) throws -> Entry {
        guard let info = value as? [String: Any] else {
            throw CheckpointError.invalidTensor(name: name, reason: "the header entry is not an object with dtype, shape and data_offsets")
        }
        guard let dtypeText = info["dtype"] as? String else {
            throw CheckpointError.invalidTensor(name: name, reason: "the header entry has no dtype string")
        }
        guard let dtype = DType(rawValue: dtypeText) else { throw CheckpointError.unsupportedDType(name: name, dtype: dtypeText) }
        guard let shapeValues = info["shape"] as? [Any], let shape = integers(shapeValues), shape.allSatisfy({ $0 >= 0 }) else {
            throw CheckpointError.invalidTensor(name: name, reason: "shape must be a list of integers ≥ 0, found \(info["shape"].map { "\($0)" } ?? "nothing")")
        }
        guard let offsetValues = info["data_offsets"] as? [Any], let offsets = integers(offsetValues), offsets.count == 2,
              offsets[0] >= 0, offsets[1] >= offsets[0] else {
            throw CheckpointError.invalidTensor(name: name, reason: "data_offsets must be [begin, end] with 0 ≤ begin ≤ end, found \(info["data_offsets"].map { "\($0)" } ?? "nothing")")
        }
        guard let count = StoredTensor.elementCount(of: shape), count <= Int.max / dtype.size else {
            throw CheckpointError.invalidTensor(name: name, reason: "shape \(shape) is too large")
        }
        guard offsets[1] - offsets[0] == count * dtype.size else {
            throw CheckpointError.invalidTensor(name: name, reason: "shape \(shape) of \(dtype.rawValue) needs \(count * dtype.size) bytes but data_offsets \(offsets) span \(offsets[1] - offsets[0])")
        }
        return Entry(name: name, dtype: dtype, shape: shape, count: count, begin: offsets[0], end: offsets[1])
    }

    /// Exact non-fractional integers from JSON numbers, or `nil`.
    private static func integers(_ values: [Any]) -> [Int]? {
        var out: [Int] = []
        out.reserveCapacity(values.count)
        for v in values {
            guard let number = v as? NSNumber else { return nil }
            let d = number.doubleValue
            guard d.rounded() == d, abs(d) < 9.0e15 else { return nil }
            out.append(number.intValue)
        }
        return out
    }

    // MARK: - Encoding helpers

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    /// A JSON string literal as serde_json writes it (quotes, backslashes and control characters escaped).
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
