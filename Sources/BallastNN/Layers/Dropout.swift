import BallastCore

/// Inverted dropout (Srivastava et al., 2014; PyTorch's `nn.Dropout`): in training, each element
/// is zeroed with probability `rate` and the survivors are scaled by `1 / (1 − rate)`, so inference
/// is the identity.
///
/// The mask is drawn from a ``Xoshiro256StarStar`` stream that the layer owns, so a seeded model
/// draws the same masks in the same order on every run.
public final class Dropout: Layer {
    /// Probability of zeroing an element, in `[0, 1)`.
    public let rate: Float
    /// The stream the masks are drawn from (advanced by every training forward pass).
    public var generator: Xoshiro256StarStar

    /// The mask of the last training pass, reused as storage for the next one.
    private var mask = Matrix(rows: 0, columns: 0)

    /// A dropout layer drawing its masks from `generator`.
    /// - Parameters:
    ///   - rate: probability of zeroing an element, in `[0, 1)`.
    ///   - generator: the mask stream (for example `rng.split()` of the model's generator).
    /// - Precondition: `0 <= rate < 1` (validate user-given rates before building layers).
    public init(rate: Float, generator: Xoshiro256StarStar) {
        precondition(rate >= 0 && rate < 1, "Dropout: rate \(rate) is not in [0, 1)")
        self.rate = rate
        self.generator = generator
    }

    /// A dropout layer whose mask stream is seeded with `seed`.
    /// - Parameters:
    ///   - rate: probability of zeroing an element, in `[0, 1)`.
    ///   - seed: seed of the mask stream.
    public convenience init(rate: Float, seed: UInt64) {
        self.init(rate: rate, generator: Xoshiro256StarStar(seed: seed))
    }

    /// None.
    public var parameters: [Parameter] { [] }

    /// Nothing at inference.
    public func flopsPerSample() -> Int { 0 }

    /// Drops elements of `x` in training; returns `x` itself at inference or when `rate` is 0.
    /// - Parameters:
    ///   - x: any shape.
    ///   - tape: the tape of the current step.
    ///   - mode: training draws a new mask; inference is the identity.
    public func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>, mode: Mode) -> Tensor {
        guard mode == .training && rate > 0 else { return x }
        if mask.rows != x.rows || mask.columns != x.columns { mask = Matrix(rows: x.rows, columns: x.columns) }
        let keep = 1 - rate, scale = 1 / keep, threshold = rate
        mask.withUnsafeMutableBufferPointer { m in
            for i in 0..<m.count { m[i] = generator.nextUniformFloat() >= threshold ? scale : 0 }
        }
        return tape.mul(x, tape.input(mask))
    }
}
