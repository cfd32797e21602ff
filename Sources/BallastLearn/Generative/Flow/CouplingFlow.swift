import BallastCore
import BallastNN

/// The shape of a ``CouplingFlow``: how many dimensions, couplings and conditioner layers.
public struct CouplingFlowShape: Sendable, Codable, Equatable {
    /// Dimensions transformed (features, or an autoencoder's latent code).
    public var dimensions: Int
    /// Number of coupling layers.
    public var couplings: Int
    /// Hidden widths of each coupling's conditioner network.
    public var hiddenWidths: [Int]
    /// Affine (RealNVP) or additive (NICE) couplings.
    public var kind: CouplingKind

    /// Creates a shape (checked by the generators that use it, and by ``isPlausible`` on decoding).
    public init(dimensions: Int, couplings: Int, hiddenWidths: [Int], kind: CouplingKind) {
        self.dimensions = dimensions
        self.couplings = couplings
        self.hiddenWidths = hiddenWidths
        self.kind = kind
    }

    /// Trainable scalars of the flow, computed from the shape without building it; `nil` when the
    /// count overflows or passes 100 million.
    public var parameterCount: Int? {
        var budget = ParameterBudget(cap: FlowArchitecture.maximumParameters)
        count(into: &budget)
        return isPlausible ? budget.count : nil
    }

    /// Outputs of a conditioner: raw log-scales and shifts, or shifts only.
    var conditionerOutputs: Int { kind == .affine ? 2 * dimensions : dimensions }

    /// Whether the sizes are in the ranges a model file may hold: 1...65536 dimensions, 1...64
    /// couplings, at most 16 hidden widths in 1...65536.
    public var isPlausible: Bool {
        (1...65_536).contains(dimensions) && (1...64).contains(couplings) && hiddenWidths.count <= 16
            && hiddenWidths.allSatisfy { (1...65_536).contains($0) }
    }

    /// Adds the conditioners' weights and biases to `budget`.
    func count(into budget: inout ParameterBudget) {
        for _ in 0..<couplings {
            var width = dimensions
            for w in hiddenWidths + [conditionerOutputs] {
                budget.add(width + 1, w)
                width = w
            }
        }
    }

    /// Forward FLOPs of one row through every coupling (conditioner layers, ReLUs and the
    /// coupling's own arithmetic): the cost of the inverse too.
    public var flopsPerRow: Int {
        var perCoupling = 0, width = dimensions
        for w in hiddenWidths + [conditionerOutputs] {
            perCoupling += 2 * width * w + w
            width = w
        }
        perCoupling += hiddenWidths.reduce(0, +) + (kind == .affine ? 5 : 2) * dimensions
        return couplings * perCoupling
    }
}

/// A stack of coupling layers on alternating masks (Dinh et al., 2015, 2017): the invertible map
/// shared by ``RealNVP`` (on the rows) and ``AEFlow`` (on an autoencoder's latent code).
///
/// Coupling `k` keeps the features `j` with `j + k` odd and transforms the others, conditioned on
/// the kept ones through a ReLU network whose last layer starts at zero (so the flow starts as the
/// identity, as in Glow). Alternating masks make every feature transformed in every other coupling,
/// conditioned on all features of the other parity; no permutation is used between couplings.
/// The base distribution is N(0, I). Also usable on its own (for example as a density model):
///
/// ```swift
/// let flow = CouplingFlow(shape: CouplingFlowShape(dimensions: 4, couplings: 4, hiddenWidths: [16], kind: .affine),
///                         name: "flow", using: &rng)
/// let (logLikelihood, _) = flow.logLikelihood(tape.input(batch), on: tape)   // maximise it
/// ```
public final class CouplingFlow: Trainable {
    /// The flow's shape.
    public let shape: CouplingFlowShape
    /// Each coupling's conditioner layers.
    public let conditioners: [[Linear]]
    /// Each coupling's `1 × dimensions` mask: 1 where features are kept.
    public let masks: [Matrix]

    /// A flow with fresh weights (He initialisation; the last layer of each conditioner at zero).
    /// - Parameters:
    ///   - shape: the sizes (assumed valid: see ``CouplingFlowShape/isPlausible``).
    ///   - name: prefix of the parameter names, `<name>.<k>.net.<2i>.weight` (PyTorch's
    ///     `nn.Sequential` indices with a ReLU between layers).
    ///   - rng: the random stream of the weights.
    public init(shape: CouplingFlowShape, name: String, using rng: inout some RandomNumberGenerator) {
        self.shape = shape
        let d = shape.dimensions
        conditioners = (0..<shape.couplings).map { k in
            var width = d
            let widths = shape.hiddenWidths + [shape.conditionerOutputs]
            return widths.enumerated().map { i, w in
                defer { width = w }
                let layer = Linear(width, w, initialization: .heNormal, name: "\(name).\(k).net.\(2 * i)", using: &rng)
                if i == widths.count - 1 { layer.weight.value = Matrix(rows: w, columns: width) }
                return layer
            }
        }
        masks = (0..<shape.couplings).map { k in Matrix(rows: 1, columns: d, generator: { _, j in Float((j + k) % 2) }) }
    }

    /// Every conditioner's weights and biases, coupling by coupling.
    public var parameters: [Parameter] { conditioners.flatMap { $0.flatMap(\.parameters) } }

    /// The forward (and inverse) cost of one row.
    public func flopsPerSample() -> Int { shape.flopsPerRow }

    /// The conditioner of coupling `k` on the kept features of `h`.
    private func condition<S: NNScalar>(_ k: Int, _ h: Tensor, mask: Tensor, on tape: Tape<S>) -> Tensor {
        var a = tape.mul(h, mask)
        let layers = conditioners[k]
        for (i, layer) in layers.enumerated() {
            a = layer.forward(a, on: tape, mode: .training)
            if i < layers.count - 1 { a = tape.relu(a) }
        }
        return a
    }

    /// Maps rows `x` to the base space.
    /// - Parameters:
    ///   - x: `batch × dimensions`.
    ///   - tape: the step's tape.
    /// - Returns: `z` and the per-row log-determinant of `∂z/∂x` (`batch × 1`; `nil` for additive
    ///   couplings, whose determinant is 1).
    public func forward<S: NNScalar>(_ x: Tensor, on tape: Tape<S>) -> (z: Tensor, logDeterminant: Tensor?) {
        var h = x
        var logDeterminant: Tensor?
        for k in 0..<shape.couplings {
            let mask = tape.input(masks[k])
            let out = condition(k, h, mask: mask, on: tape)
            switch shape.kind {
            case .affine:
                let (y, logScale) = tape.affineCoupling(h, scaleAndShift: out, mask: mask)
                h = y
                logDeterminant = logDeterminant.map { tape.add($0, logScale) } ?? logScale
            case .additive:
                h = tape.add(h, tape.mul(out, free(k, on: tape)))
            }
        }
        return (h, logDeterminant)
    }

    /// The mean log-likelihood of rows `x` under the flow, `log N(z; 0, I) + log |det ∂z/∂x|`
    /// (`1 × 1`), with the mean log-determinant (`1 × 1`, zero for additive couplings).
    /// - Parameters:
    ///   - x: `batch × dimensions`.
    ///   - tape: the step's tape.
    public func logLikelihood<S: NNScalar>(_ x: Tensor, on tape: Tape<S>) -> (logLikelihood: Tensor, logDeterminant: Tensor) {
        let (z, logDeterminant) = forward(x, on: tape)
        let perRow = logDeterminant ?? tape.input(rows: x.rows, columns: 1) { $0.update(repeating: 0) }
        return (tape.standardNormalLogDensity(z, logDeterminant: perRow), tape.mean(perRow, axis: nil))
    }

    /// Maps base-space rows back through the couplings in reverse order (a constant of the tape).
    /// - Parameters:
    ///   - z: `batch × dimensions`.
    ///   - tape: a tape used for the conditioners only.
    /// - Returns: `batch × dimensions` rows whose forward map is `z`.
    public func inverse<S: NNScalar>(_ z: Tensor, on tape: Tape<S>) -> Tensor {
        var h = z
        for k in (0..<shape.couplings).reversed() {
            let mask = tape.input(masks[k])
            let out = condition(k, h, mask: mask, on: tape)
            switch shape.kind {
            case .affine: h = tape.affineCouplingInverse(h, scaleAndShift: out, mask: mask)
            case .additive: h = tape.detach(tape.sub(h, tape.mul(out, free(k, on: tape))))
            }
        }
        return h
    }

    /// `1 − mask` of coupling `k`.
    private func free<S: NNScalar>(_ k: Int, on tape: Tape<S>) -> Tensor {
        tape.input(rows: 1, columns: shape.dimensions) { out in
            masks[k].withUnsafeBufferPointer { m in for j in 0..<out.count { out[j] = 1 - S(m[j]) } }
        }
    }
}
