/// One tensor of a safetensors file: its shape and its values in row-major order, as `Float`.
///
/// A scalar has shape `[]` and one value; a shape containing 0 has no values.
public struct StoredTensor: Sendable, Equatable {
    /// The dimensions, outermost first (PyTorch's `tensor.shape`).
    public var shape: [Int]
    /// The values, row-major (C order); `values.count` is the product of `shape`.
    public var values: [Float]

    /// Creates a tensor.
    /// - Parameters:
    ///   - shape: the dimensions.
    ///   - values: row-major values (their count must be the product of `shape`, checked when encoding).
    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }

    /// The number of elements the shape holds, or `nil` for a negative dimension or an overflowing product.
    public static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }
}
