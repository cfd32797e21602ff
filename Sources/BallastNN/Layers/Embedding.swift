import BallastCore

/// A lookup table of learned vectors, one per category (PyTorch's `nn.Embedding`, weights drawn
/// from `N(0, 1)`).
///
/// Use ``forward(indices:on:)`` with category indices, or, inside a ``Sequential``, the ``Layer``
/// form: each input column holds a category code and the output puts the code's vector in its place,
/// `batch × fields` → `batch × (fields·dimension)`.
public final class Embedding: Layer {
    /// `count × dimension` table (``Parameter/name`` is `"<name>.weight"`).
    public let weight: Parameter

    /// Number of categories (rows of the table).
    public var count: Int { weight.value.rows }
    /// Length of each vector.
    public var dimension: Int { weight.value.columns }

    private var codes: [Int] = []

    /// A table of `count` vectors drawn from the standard normal distribution.
    /// - Parameters:
    ///   - count: number of categories.
    ///   - dimension: length of each vector.
    ///   - name: prefix of the parameter name.
    ///   - rng: the random stream the table is drawn from.
    /// - Precondition: positive sizes.
    public init(count: Int, dimension: Int, name: String = "embedding", using rng: inout some RandomNumberGenerator) {
        precondition(count > 0 && dimension > 0, "Embedding: \(count) categories of dimension \(dimension)")
        var table = Matrix(rows: count, columns: dimension)
        table.withUnsafeMutableBufferPointer { w in
            for i in 0..<w.count { w[i] = Float(rng.nextNormal()) }
        }
        weight = Parameter(name: name + ".weight", value: table)
    }

    /// A table with the given `count × dimension` weights.
    /// - Parameter weight: the table.
    public init(weight: Parameter) {
        precondition(weight.value.rows > 0 && weight.value.columns > 0, "Embedding: empty table \(weight.name)")
        self.weight = weight
    }

    /// The table.
    public var parameters: [Parameter] { [weight] }

    /// A lookup computes nothing.
    public func flopsPerSample() -> Int { 0 }

    /// The vectors of `indices`, in order.
    /// - Parameters:
    ///   - indices: category indices, each in `0..<count` (a programmer error otherwise: validate
    ///     codes from data before the lookup).
    ///   - tape: the tape of the current step.
    /// - Returns: `indices.count × dimension`.
    public func forward<S: NNScalar>(indices: [Int], on tape: Tape<S>) -> Tensor {
        tape.gatherRows(tape.parameter(weight), indices)
    }

    /// Replaces each category code in `x` by its vector.
    /// - Parameters:
    ///   - x: `batch × fields` of whole numbers in `0..<count` (a programmer error otherwise: a
    ///     detector validates the codes of its input before the forward pass).
    ///   - tape: the tape of the current step.
    ///   - mode: unused.
    /// - Returns: `batch × (fields·dimension)`, field-major within a row.
    public func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        codes.removeAll(keepingCapacity: true)
        tape.withValue(x) { values in
            for v in values {
                precondition(v.rounded() == v && v >= 0 && v < S(count),
                             "Embedding \(weight.name): code \(v) is not a category index in 0..<\(count)")
                codes.append(Int(v))
            }
        }
        let vectors = tape.gatherRows(tape.parameter(weight), codes)
        return tape.reshape(vectors, rows: x.rows, columns: x.columns * dimension)
    }
}
