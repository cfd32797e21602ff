#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import BallastCore

/// The update shared by ``Adam`` and ``AdamW`` (Kingma & Ba 2015; Loshchilov & Hutter 2019), with
/// PyTorch's formulas: for step `t` (from 1),
///
///     p ← p · (1 − lr · decoupledDecay)                (AdamW only)
///     g ← g + l2 · p                                   (Adam's weight decay)
///     m ← β₁ · m + (1 − β₁) · g
///     v ← β₂ · v + (1 − β₂) · g²
///     p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// The bias corrections are computed in `Double` once per step, the element updates in `Float`.
struct AdamKernel {
    let beta1: Float
    let beta2: Float
    let epsilon: Float
    /// Two slots: first moments `m`, then second moments `v`.
    let state: OptimizerState

    init(parameters: [Parameter], beta1: Float, beta2: Float, epsilon: Float) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.state = OptimizerState(parameters: parameters, slots: 2)
    }

    /// Checks the hyperparameters shared by Adam and AdamW; `owner` prefixes the names in errors.
    static func validate(owner: String, learningRate: Float, beta1: Float, beta2: Float,
                         epsilon: Float, weightDecay: Float) throws {
        try validateHyperparameter("\(owner).learningRate", learningRate, expected: "a finite number ≥ 0") { $0 >= 0 }
        try validateHyperparameter("\(owner).beta1", beta1, expected: "a number in [0, 1)") { $0 >= 0 && $0 < 1 }
        try validateHyperparameter("\(owner).beta2", beta2, expected: "a number in [0, 1)") { $0 >= 0 && $0 < 1 }
        try validateHyperparameter("\(owner).epsilon", epsilon, expected: "a finite number ≥ 0") { $0 >= 0 }
        try validateHyperparameter("\(owner).weightDecay", weightDecay, expected: "a finite number ≥ 0") { $0 >= 0 }
    }

    /// Applies step number `step` (1 for the first) to every parameter.
    func apply(to parameters: [Parameter], step: Int, learningRate: Float, l2: Float, decoupledDecay: Float) {
        let t = Double(step)
        let correction1 = 1 - pow(Double(beta1), t)
        let correction2Root = (1 - pow(Double(beta2), t)).squareRoot()
        let stepSize = Float(Double(learningRate) / correction1)
        let inverseRoot = Float(1 / correction2Root)
        let shrink = Float(1 - Double(learningRate) * Double(decoupledDecay))
        for (index, p) in parameters.enumerated() { state.checkShape(p, index: index) }
        let total = parameters.reduce(0) { $0 + $1.count }
        withPointers(parameters, from: 0, into: []) { tensors in
            // One parallel pass over all elements, cut at equal element counts (the update is
            // element-wise, so the result does not depend on the cut): on a few hundred thousand
            // weights one thread cannot saturate memory bandwidth.
            let shared = SendableReadBuffer(UnsafeBufferPointer(start: tensors.withUnsafeBufferPointer { $0.baseAddress }, count: tensors.count))
            let (b1, b2, eps) = (beta1, beta2, epsilon)
            Parallel.forEachChunk(0..<total, minimumChunk: 1 << 15) { range in
                guard let all = shared.baseAddress else { return }
                var start = 0
                for t in 0..<shared.buffer.count {
                    let tensor = all[t], lo = max(range.lowerBound, start), hi = min(range.upperBound, start + tensor.count)
                    if lo < hi {
                        let o = lo - start
                        Self.update(tensor.w + o, tensor.g + o, tensor.m + o, tensor.v + o, hi - lo, beta1: b1, beta2: b2, epsilon: eps,
                                    stepSize: stepSize, inverseRoot: inverseRoot, shrink: shrink, l2: l2)
                    }
                    start += tensor.count
                }
            }
        }
    }

    /// The storage of one parameter during an update.
    private struct Tensor {
        let w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
        let count: Int
    }

    /// Calls `body` with the storage of every parameter, valid for the whole call (each parameter's
    /// buffers are entered one level deeper).
    private func withPointers(_ parameters: [Parameter], from index: Int, into tensors: [Tensor], _ body: ([Tensor]) -> Void) {
        guard index < parameters.count else { return body(tensors) }
        let p = parameters[index]
        p.gradient.withUnsafeBufferPointer { gradient in
            p.value.withUnsafeMutableBufferPointer { value in
                guard let g = gradient.baseAddress, let w = value.baseAddress else {
                    return withPointers(parameters, from: index + 1, into: tensors, body)
                }
                let tensor = Tensor(w: w, g: g, m: state.pointer(slot: 0, parameter: index), v: state.pointer(slot: 1, parameter: index),
                                    count: value.count)
                withPointers(parameters, from: index + 1, into: tensors + [tensor], body)
            }
        }
    }

    /// The element loop for one parameter of `n` elements.
    private static func update(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                               _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, _ n: Int,
                               beta1 b1: Float, beta2 b2: Float, epsilon eps: Float,
                               stepSize: Float, inverseRoot: Float, shrink: Float, l2: Float) {
        let c1 = 1 - b1, c2 = 1 - b2
        // A plain loop over the pointers that LLVM vectorises to packed square roots and divisions.
        // The square root is LLVM's intrinsic (``vectorizableSquareRoot(_:)``): on Linux
        // `Float.squareRoot()` is glibc's `sqrtf` behind an errno check for negative input, which
        // kept this loop scalar (2.5 ns per parameter, an eighth of a CGAN epoch); `SIMD8.squareRoot()`
        // is no better (eight scalar square roots with branches, ~6 ns per parameter). Packed and
        // scalar square roots and divisions are both correctly rounded: the result is the same.
        var i = 0
        while i < n {
            let wv = w[i] * shrink
            let gv = g[i] + l2 * wv
            let mv = b1 * m[i] + c1 * gv
            let vv = b2 * v[i] + c2 * (gv * gv)
            m[i] = mv
            v[i] = vv
            w[i] = wv - stepSize * mv / (vectorizableSquareRoot(vv) * inverseRoot + eps)
            i += 1
        }
    }
}

/// LLVM's square-root intrinsic: IEEE `sqrt` (correctly rounded, NaN for negative input) without
/// the errno side effect of glibc's `sqrtf`, so a loop calling it vectorises.
@_silgen_name("llvm.sqrt.f32")
func vectorizableSquareRoot(_ x: Float) -> Float
