/// The decoded contents of a safetensors file: named tensors and the free-form string metadata.
public struct SafeTensorsFile: Sendable, Equatable {
    /// Tensors by name (iterate `tensors.keys.sorted()` for a stable order).
    public var tensors: [String: StoredTensor]
    /// The `__metadata__` table (string keys and values), empty when the file has none.
    public var metadata: [String: String]

    /// Creates the contents of a file.
    public init(tensors: [String: StoredTensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }
}
