/// Why a safetensors file or a checkpoint could not be read, written or loaded into parameters.
///
/// Every message names what is wrong (the tensor, the byte offset, the file) and what was expected.
public indirect enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The bytes end before a part the format requires (the 8-byte length, the header or a tensor).
    case truncated(String)
    /// The JSON header is malformed: its length is impossible, it is not JSON, or an entry lacks a field.
    case invalidHeader(String)
    /// A tensor's entry is inconsistent (shape, offsets, size, overlap with another tensor).
    case invalidTensor(name: String, reason: String)
    /// A tensor is stored in a dtype Ballast does not convert to `Float`.
    case unsupportedDType(name: String, dtype: String)
    /// A parameter being loaded has no tensor of its name in the checkpoint.
    case missingTensor(name: String, available: [String])
    /// The checkpoint holds tensors that no parameter being loaded asked for.
    case unexpectedTensors([String])
    /// A tensor's shape differs from the parameter it is loaded into.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// Two parameters being saved have the same name.
    case duplicateName(String)
    /// The file could not be read or written.
    case io(path: String, reason: String)
    /// An error while reading or writing a file, with the file's path.
    case file(path: String, CheckpointError)

    /// A readable message.
    public var description: String {
        switch self {
        case .truncated(let what): return "truncated safetensors data: \(what)"
        case .invalidHeader(let why): return "invalid safetensors header: \(why)"
        case let .invalidTensor(name, reason): return "tensor '\(name)': \(reason)"
        case let .unsupportedDType(name, dtype):
            return "tensor '\(name)' has dtype \(dtype); expected one of \(SafeTensors.DType.allCases.map(\.rawValue).joined(separator: ", "))"
        case let .missingTensor(name, available):
            let shown = available.prefix(8).joined(separator: ", ") + (available.count > 8 ? ", …" : "")
            return "the checkpoint has no tensor '\(name)' (it holds: \(available.isEmpty ? "nothing" : shown))"
        case .unexpectedTensors(let names):
            return "the checkpoint holds tensors no parameter expects: \(names.joined(separator: ", "))"
        case let .shapeMismatch(name, expected, found):
            return "tensor '\(name)' has shape \(found); the parameter expects \(expected)"
        case .duplicateName(let name): return "two tensors are named '\(name)'; names must be unique"
        case let .io(path, reason): return "\(path): \(reason)"
        case let .file(path, error): return "\(path): \(error)"
        }
    }
}
