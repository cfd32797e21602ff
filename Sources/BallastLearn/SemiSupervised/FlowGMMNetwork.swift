import BallastCore
import BallastNN

/// The layers of a FlowGMM classifier (Izmailov, Kirichenko, Finzi & Wilson, 2020): a coupling
/// flow `z = f(x)` and one Gaussian component `N(μ_y, I)` per class in the base space.
///
/// With priors `π`, `log p(x, y) = log π_y + log N(f(x); μ_y, I) + log |det ∂f/∂x|`. Expanding the
/// square, `log N(z; μ_y, I) = z·μ_y − ½‖μ_y‖² − ½‖z‖² − (d/2) log 2π`, so the class scores split
/// into a part that depends on the class, `a_y = z·μ_y − ½‖μ_y‖² + log π_y` (the logits: `p(y | x)`
/// is their softmax), and a part shared by every class, `b = −½‖z‖² − (d/2) log 2π + log |det J|`.
/// Then `log p(x, y) = a_y + b` and `log p(x) = logsumexp(a) + b`.
final class FlowGMMNetwork: Trainable {
    /// The couplings.
    let flow: CouplingFlow
    /// `classes × dimensions` component means (named `means` in the weights).
    let means: Parameter
    /// Whether the means are trained (otherwise they stay where they were placed).
    let learnMeans: Bool

    /// A network with fresh weights: an identity flow, and means drawn as independent Gaussian
    /// directions scaled to norm `spread` (in many dimensions nearly orthogonal, so the classes
    /// start `spread·√2` apart).
    /// - Parameters:
    ///   - shape: the flow's sizes.
    ///   - classes: number of mixture components.
    ///   - spread: the norm of every initial mean.
    ///   - learnMeans: whether the optimizer moves the means.
    ///   - rng: draws the weights and the means.
    init(shape: CouplingFlowShape, classes: Int, spread: Double, learnMeans: Bool, using rng: inout some RandomNumberGenerator) {
        flow = CouplingFlow(shape: shape, name: "couplings", using: &rng)
        let d = shape.dimensions
        var values = [Float](repeating: 0, count: classes * d)
        for c in 0..<classes {
            var direction = (0..<d).map { _ in rng.nextNormal() }
            let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { direction = direction.map { $0 / norm } }
            for j in 0..<d { values[c * d + j] = Float(direction[j] * spread) }
        }
        means = Parameter(name: "means", value: Matrix(rows: classes, columns: d, values: values), shape: [classes, d])
        self.learnMeans = learnMeans
    }

    /// The flow's weights, then the means when they are learned.
    var parameters: [Parameter] { flow.parameters + (learnMeans ? [means] : []) }
    /// The means when they are fixed (saved with the weights, never trained).
    var buffers: [Parameter] { learnMeans ? [] : [means] }
    func flopsPerSample() -> Int { flow.flopsPerSample() + 2 * means.value.count }

    /// Every tensor of the saved model: the flow's weights and the means.
    var storedTensors: [Parameter] { flow.parameters + [means] }

    /// The class logits and the class-independent part of `log p(x, ·)` of standardised rows.
    /// - Parameters:
    ///   - x: `batch × dimensions`, standardised rows.
    ///   - logPriors: `1 × classes` constant, `log π`.
    ///   - tape: the step's tape.
    /// - Returns: `logits` (`batch × classes`, `a_y` above) and `shared` (`batch × 1`, `b` above).
    func forward<S: NNScalar>(_ x: Tensor, logPriors: Tensor, on tape: Tape<S>) -> (logits: Tensor, shared: Tensor) {
        let (z, logDeterminant) = flow.forward(x, on: tape)
        let m = tape.parameter(means)
        let k = means.value.rows
        let halfSquaredMeans = tape.reshape(tape.mul(tape.sum(tape.mul(m, m), axis: .columns), scalar: 0.5), rows: 1, columns: k)
        let logits = tape.add(tape.sub(tape.matmul(z, m, transposeB: true), halfSquaredMeans), logPriors)
        let logTwoPi: Float = 1.8378770664093453
        var shared = tape.add(tape.mul(tape.sum(tape.mul(z, z), axis: .columns), scalar: -0.5),
                              scalar: -0.5 * Float(x.columns) * logTwoPi)
        if let logDeterminant { shared = tape.add(shared, logDeterminant) }
        return (logits, shared)
    }

    /// `log p(x)` per row (`batch × 1`), from ``forward(_:logPriors:on:)``'s output.
    /// - Parameters:
    ///   - logits: `batch × classes`.
    ///   - logSoftmax: `tape.logSoftmax(logits)` (passed in because callers need it too).
    ///   - shared: `batch × 1`.
    static func logDensity<S: NNScalar>(logits: Tensor, logSoftmax: Tensor, shared: Tensor, on tape: Tape<S>) -> Tensor {
        // logsumexp(a) = a_0 − log softmax(a)_0.
        let logSumExp = tape.sub(tape.slice(logits, columns: 0..<1), tape.slice(logSoftmax, columns: 0..<1))
        return tape.add(logSumExp, shared)
    }

    /// The `1 × classes` constant `log π`.
    static func logPriorInput<S: NNScalar>(_ logPriors: [Float], on tape: Tape<S>) -> Tensor {
        tape.input(rows: 1, columns: logPriors.count, values: logPriors.map { S($0) })
    }
}
