// Fused kernels of the LSTM cell (see ``Tape/lstmCell(gates:cell:)``).
//
// Gate columns are PyTorch's order: input `i`, forget `f`, candidate `g`, output `o`, each `h` wide.
// `activations` holds `[σ(i) | σ(f) | tanh(g) | σ(o)]` per row, then `tanh(c)` (`5h` per row in all).
// The sigmoid is computed as `½ + ½·tanh(x/2)`, the same function without a second vector kernel.
// Rows are independent, so they are split over the awake workers.

import BallastCore

extension NNScalar {
    /// `c = σ(f) ⊙ previous + σ(i) ⊙ tanh(g)` (no `previous`: `c₀ = 0`); writes the four gate
    /// activations into `activations` (row stride `5h`).
    public static func lstmCellForward(
        gates: UnsafePointer<Self>, previous: UnsafePointer<Self>?, activations: UnsafeMutablePointer<Self>,
        cell: UnsafeMutablePointer<Self>, rows: Int, hidden h: Int
    ) {
        Parallel.split(rows, minimumChunk: rowGrain(4 * h)) { part in
            let r = part.lowerBound
            lstmCellForwardPart(gates: gates + r * 4 * h, previous: previous.map { $0 + r * h }, activations: activations + r * 5 * h,
                                cell: cell + r * h, rows: part.count, hidden: h)
        }
    }

    /// `hidden = σ(o) ⊙ tanh(c)`; writes `tanh(c)` after the gate activations.
    public static func lstmHiddenForward(
        cell: UnsafePointer<Self>, activations: UnsafeMutablePointer<Self>, hidden: UnsafeMutablePointer<Self>,
        rows: Int, hidden h: Int
    ) {
        Parallel.split(rows, minimumChunk: rowGrain(2 * h)) { part in
            let r = part.lowerBound
            lstmHiddenForwardPart(cell: cell + r * h, activations: activations + r * 5 * h, hidden: hidden + r * h, rows: part.count, hidden: h)
        }
    }

    /// Accumulates the gradients of `hidden` into the output gate's columns of `gates` and into `cell`.
    public static func lstmHiddenBackward(
        activations: UnsafePointer<Self>, outputGradient gh: UnsafePointer<Self>,
        gatesGradient: UnsafeMutablePointer<Self>?, cellGradient: UnsafeMutablePointer<Self>?, rows: Int, hidden h: Int
    ) {
        Parallel.split(rows, minimumChunk: rowGrain(2 * h)) { part in
            let r = part.lowerBound
            lstmHiddenBackwardPart(activations: activations + r * 5 * h, outputGradient: gh + r * h,
                                   gatesGradient: gatesGradient.map { $0 + r * 4 * h }, cellGradient: cellGradient.map { $0 + r * h },
                                   rows: part.count, hidden: h)
        }
    }

    /// Accumulates the gradients of `cell` into the input, forget and candidate columns of `gates`
    /// and into `previous`.
    public static func lstmCellBackward(
        activations: UnsafePointer<Self>, previous: UnsafePointer<Self>?, outputGradient gc: UnsafePointer<Self>,
        gatesGradient: UnsafeMutablePointer<Self>?, previousGradient: UnsafeMutablePointer<Self>?, rows: Int, hidden h: Int
    ) {
        Parallel.split(rows, minimumChunk: rowGrain(4 * h)) { part in
            let r = part.lowerBound
            lstmCellBackwardPart(activations: activations + r * 5 * h, previous: previous.map { $0 + r * h }, outputGradient: gc + r * h,
                                 gatesGradient: gatesGradient.map { $0 + r * 4 * h },
                                 previousGradient: previousGradient.map { $0 + r * h }, rows: part.count, hidden: h)
        }
    }

    /// One piece of ``lstmCellForward``, in the calling thread.
    static func lstmCellForwardPart(
        gates: UnsafePointer<Self>, previous: UnsafePointer<Self>?, activations: UnsafeMutablePointer<Self>,
        cell: UnsafeMutablePointer<Self>, rows: Int, hidden h: Int
    ) {
        for r in 0..<rows {
            let gr = gates + r * 4 * h, ar = activations + r * 5 * h, cr = cell + r * h
            for j in 0..<(4 * h) { ar[j] = j >= 2 * h && j < 3 * h ? gr[j] : gr[j] / 2 }
            vectorTanh(ar, ar, count: 4 * h)
            for j in 0..<(2 * h) { ar[j] = (1 + ar[j]) / 2 }
            for j in (3 * h)..<(4 * h) { ar[j] = (1 + ar[j]) / 2 }
            if let previous {
                let pr = previous + r * h
                for j in 0..<h { cr[j] = ar[h + j] * pr[j] + ar[j] * ar[2 * h + j] }
            } else {
                for j in 0..<h { cr[j] = ar[j] * ar[2 * h + j] }
            }
        }
    }

    /// One piece of ``lstmHiddenForward``, in the calling thread.
    static func lstmHiddenForwardPart(
        cell: UnsafePointer<Self>, activations: UnsafeMutablePointer<Self>, hidden: UnsafeMutablePointer<Self>,
        rows: Int, hidden h: Int
    ) {
        for r in 0..<rows {
            let ar = activations + r * 5 * h, tc = ar + 4 * h, hr = hidden + r * h
            vectorTanh(cell + r * h, tc, count: h)
            for j in 0..<h { hr[j] = ar[3 * h + j] * tc[j] }
        }
    }

    /// One piece of ``lstmHiddenBackward``, in the calling thread.
    static func lstmHiddenBackwardPart(
        activations: UnsafePointer<Self>, outputGradient gh: UnsafePointer<Self>,
        gatesGradient: UnsafeMutablePointer<Self>?, cellGradient: UnsafeMutablePointer<Self>?, rows: Int, hidden h: Int
    ) {
        for r in 0..<rows {
            let ar = activations + r * 5 * h, tc = ar + 4 * h, g = gh + r * h
            if let gatesGradient {
                let d = gatesGradient + r * 4 * h + 3 * h
                for j in 0..<h {
                    let o = ar[3 * h + j]
                    d[j] += g[j] * tc[j] * o * (1 - o)
                }
            }
            if let cellGradient {
                let d = cellGradient + r * h
                for j in 0..<h { d[j] += g[j] * ar[3 * h + j] * (1 - tc[j] * tc[j]) }
            }
        }
    }

    /// One piece of ``lstmCellBackward``, in the calling thread.
    static func lstmCellBackwardPart(
        activations: UnsafePointer<Self>, previous: UnsafePointer<Self>?, outputGradient gc: UnsafePointer<Self>,
        gatesGradient: UnsafeMutablePointer<Self>?, previousGradient: UnsafeMutablePointer<Self>?, rows: Int, hidden h: Int
    ) {
        for r in 0..<rows {
            let ar = activations + r * 5 * h, g = gc + r * h
            if let gatesGradient {
                let d = gatesGradient + r * 4 * h
                for j in 0..<h {
                    let i = ar[j], c = ar[2 * h + j]
                    d[j] += g[j] * c * i * (1 - i)
                    d[2 * h + j] += g[j] * i * (1 - c * c)
                }
                if let previous {
                    let pr = previous + r * h
                    for j in 0..<h {
                        let f = ar[h + j]
                        d[h + j] += g[j] * pr[j] * f * (1 - f)
                    }
                }
            }
            if let previousGradient {
                let d = previousGradient + r * h
                for j in 0..<h { d[j] += g[j] * ar[h + j] }
            }
        }
    }
}

// Kernels of the fused LSTM recurrence (see ``Tape/lstmSequence(inputGates:steps:weight:bias:sequence:reversed:)``).
// The saved states are laid out row by row, then step by step: row `r`'s step `t` is at
// `(r·steps + t)` times the width (`5h` for the activations, `h` for cells and hidden states,
// `4h` for the gate gradients), so one step of all rows is a strided matrix a GEMM reads directly.
// The loops run eight lanes at a time (the compiler left the pointer loops scalar), with the same
// operations in the same order as the per-step kernels above, so the results are equal.
extension NNScalar {
    /// The forward recurrence of every row: for each step, the recurrent product `hₜ₋₁ · W_hhᵀ`
    /// added onto the bias already in the step's gate columns, then the gate sum, the cell, the
    /// hidden state and the next step's bias in one pass per row.
    ///
    /// Rows are independent sequences, so the rows are split over the awake workers once and each
    /// runs the whole recurrence on its rows with its own GEMMs: one hand-off per batch instead of
    /// two per step (waking a parked worker: the job takes milliseconds). Each part's GEMM runs the algorithm of the whole batch's (``gemmPart``), so the
    /// sums do not depend on the split.
    public static func lstmSequenceForward(
        inputGates: UnsafePointer<Self>, weight w: UnsafePointer<Self>, bias: UnsafePointer<Self>,
        activations: UnsafeMutablePointer<Self>, cells: UnsafeMutablePointer<Self>, hiddens: UnsafeMutablePointer<Self>,
        rows: Int, steps: Int, hidden h: Int
    ) {
        Parallel.split(rows, minimumChunk: rowGrain(steps * 9 * h), wakingWorkers: true) { part in
            let first = part.lowerBound
            for step in 0..<steps {
                if step > 0 {
                    gemmPart(transposeA: false, transposeB: true, m: part.count, n: 4 * h, k: h, alpha: 1,
                             a: hiddens + (first * steps + step - 1) * h, lda: steps * h, b: w, ldb: h,
                             beta: 1, c: activations + (first * steps + step) * 5 * h, ldc: steps * 5 * h, wholeRows: rows)
                }
                for r in part {
                    let slot = r * steps + step
                    lstmSequenceForwardRow(input: inputGates + slot * 4 * h, bias: bias, first: step == 0,
                                           previous: step > 0 ? cells + (slot - 1) * h : nil, activations: activations + slot * 5 * h,
                                           cell: cells + slot * h, hidden: hiddens + slot * h, h: h)
                    if step + 1 < steps { (activations + (slot + 1) * 5 * h).update(from: bias, count: 4 * h) }
                }
            }
        }
    }

    /// One row of one step of ``lstmSequenceForward``: the operations of ``lstmCellForwardPart`` and
    /// ``lstmHiddenForwardPart`` on the summed gates.
    @inline(__always)
    static func lstmSequenceForwardRow(
        input: UnsafePointer<Self>, bias: UnsafePointer<Self>, first: Bool, previous: UnsafePointer<Self>?,
        activations ar: UnsafeMutablePointer<Self>, cell: UnsafeMutablePointer<Self>, hidden: UnsafeMutablePointer<Self>, h: Int
    ) {
        let one = SIMD8<Self>(repeating: 1), two = SIMD8<Self>(repeating: 2)
        let other = first ? bias : UnsafePointer(ar)  // step 0 adds the bias; later steps the product written onto it
        for q in 0..<4 {  // σ(x) = ½ + ½·tanh(x/2): halve every gate but the candidate
            forEachLanes(h) { j, n in
                let sum = lanes(input + q * h + j, n) + lanes(other + q * h + j, n)
                store(q == 2 ? sum : sum / two, ar + q * h + j, n)
            }
        }
        vectorTanh(ar, ar, count: 4 * h)
        for q in 0..<4 where q != 2 {
            forEachLanes(h) { j, n in store((one + lanes(ar + q * h + j, n)) / two, ar + q * h + j, n) }
        }
        forEachLanes(h) { j, n in
            let ig = lanes(ar + j, n) * lanes(ar + 2 * h + j, n)
            store(previous.map { lanes(ar + h + j, n) * lanes($0 + j, n) + ig } ?? ig, cell + j, n)
        }
        let tc = ar + 4 * h
        vectorTanh(cell, tc, count: h)
        forEachLanes(h) { j, n in store(lanes(ar + 3 * h + j, n) * lanes(tc + j, n), hidden + j, n) }
    }

    /// The backward recurrence of every row, latest step first: from the hidden state's gradient
    /// (the output's, plus the later step's `dgatesₜ₊₁ · W_hh`) and the carried cell gradient, each
    /// step's four gate gradients; then the earlier hidden state's gradient by one GEMM. Rows are
    /// split over the awake workers once, as in ``lstmSequenceForward``.
    /// - Parameters:
    ///   - gy: the output's gradient: `rows × h` (the last state), or `rows × (steps·h)` with `sequence`.
    ///   - reversed: with `sequence`, step `t`'s state is at output position `steps − 1 − t`.
    ///   - hiddenGradient: `rows × h` scratch.
    ///   - cellGradient: `rows × h` scratch.
    ///   - gatesGradient: receives the gate gradients, `rows × (steps·4h)`.
    public static func lstmSequenceBackward(
        activations: UnsafePointer<Self>, cells: UnsafePointer<Self>, weight w: UnsafePointer<Self>,
        outputGradient gy: UnsafePointer<Self>, sequence: Bool, reversed: Bool,
        hiddenGradient: UnsafeMutablePointer<Self>, cellGradient: UnsafeMutablePointer<Self>,
        gatesGradient: UnsafeMutablePointer<Self>, rows: Int, steps: Int, hidden h: Int
    ) {
        func position(_ step: Int) -> Int { reversed ? steps - 1 - step : step }
        Parallel.split(rows, minimumChunk: rowGrain(steps * 9 * h), wakingWorkers: true) { part in
            let first = part.lowerBound
            for step in stride(from: steps - 1, through: 0, by: -1) {
                let last = step == steps - 1
                for r in part {
                    // The hidden state's gradient: the output's alone at the last step; afterwards
                    // the scratch, which holds the output's slice (sequence) plus the later product.
                    let g = !last ? UnsafePointer(hiddenGradient + r * h) : sequence ? gy + r * steps * h + position(step) * h : gy + r * h
                    lstmSequenceBackwardRow(
                        activations: activations + (r * steps + step) * 5 * h,
                        previous: step > 0 ? cells + (r * steps + step - 1) * h : nil,
                        hiddenGradient: g, cellGradient: cellGradient + r * h, carried: !last,
                        gatesGradient: gatesGradient + (r * steps + step) * 4 * h, hidden: h)
                    if sequence && step > 0 {  // `0 +`, as the replaced ops' zeroed buffer gave
                        let source = gy + r * steps * h + position(step - 1) * h, target = hiddenGradient + r * h
                        for j in 0..<h { target[j] = 0 + source[j] }
                    }
                }
                if step > 0 {  // dhₜ₋₁ (+)= dgatesₜ · W_hh
                    gemmPart(transposeA: false, transposeB: false, m: part.count, n: h, k: 4 * h, alpha: 1,
                             a: gatesGradient + (first * steps + step) * 4 * h, lda: steps * 4 * h, b: w, ldb: h,
                             beta: sequence ? 1 : 0, c: hiddenGradient + first * h, ldc: h, wholeRows: rows)
                }
            }
        }
    }

    /// One row of one step of ``lstmSequenceBackward``: the expressions of ``lstmHiddenBackwardPart`` and
    /// ``lstmCellBackwardPart`` in their order, so the gradients equal those of the per-step ops.
    /// Leaves `dc` holding the cell gradient times the forget gate (what the earlier step receives).
    @inline(__always)
    static func lstmSequenceBackwardRow(
        activations ar: UnsafePointer<Self>, previous: UnsafePointer<Self>?, hiddenGradient g: UnsafePointer<Self>,
        cellGradient dc: UnsafeMutablePointer<Self>, carried: Bool, gatesGradient d: UnsafeMutablePointer<Self>, hidden h: Int
    ) {
        // Every value written is `0 + v`, as the replaced ops' zeroed buffers gave (a −0 becomes +0).
        let one = SIMD8<Self>(repeating: 1), zero = SIMD8<Self>(), tc = ar + 4 * h
        forEachLanes(h) { j, n in
            let gh = lanes(g + j, n), o = lanes(ar + 3 * h + j, n), t = lanes(tc + j, n)
            store(zero + gh * t * o * (one - o), d + 3 * h + j, n)
            let fromHidden = gh * o * (one - t * t)
            var c = carried ? lanes(dc + j, n) + fromHidden : zero + fromHidden
            let i = lanes(ar + j, n), candidate = lanes(ar + 2 * h + j, n)
            store(zero + c * candidate * i * (one - i), d + j, n)
            store(zero + c * i * (one - candidate * candidate), d + 2 * h + j, n)
            if let previous {
                let f = lanes(ar + h + j, n)
                store(zero + c * lanes(previous + j, n) * f * (one - f), d + h + j, n)
                c = zero + c * f
            } else {
                store(zero, d + h + j, n)
            }
            store(c, dc + j, n)
        }
    }

    /// Calls `body(j, n)` for `j = 0, 8, 16, …` below `count`, with `n` lanes (8, or fewer at the end).
    @inline(__always)
    static func forEachLanes(_ count: Int, _ body: (Int, Int) -> Void) {
        var j = 0
        while j < count {
            body(j, Swift.min(8, count - j))
            j += 8
        }
    }

    /// `n ≤ 8` values from `p`, zeros after them.
    @inline(__always)
    static func lanes(_ p: UnsafePointer<Self>, _ n: Int) -> SIMD8<Self> {
        if n == 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Self>.self) }
        var v = SIMD8<Self>()
        for k in 0..<n { v[k] = p[k] }
        return v
    }

    @inline(__always)
    static func lanes(_ p: UnsafeMutablePointer<Self>, _ n: Int) -> SIMD8<Self> { lanes(UnsafePointer(p), n) }

    /// Stores the first `n ≤ 8` lanes of `v` at `p`.
    @inline(__always)
    static func store(_ v: SIMD8<Self>, _ p: UnsafeMutablePointer<Self>, _ n: Int) {
        if n == 8 {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Self>.self)
        } else {
            for k in 0..<n { p[k] = v[k] }
        }
    }

    /// `out[c] += Σ_r x[r·stride + c]`, rows in order (the order of ``reduceSum`` over rows).
    static func addRowSums(_ x: UnsafePointer<Self>, rows: Int, stride: Int, columns: Int, into out: UnsafeMutablePointer<Self>) {
        for r in 0..<rows {
            let xr = x + r * stride
            forEachLanes(columns) { c, n in store(lanes(out + c, n) + lanes(xr + c, n), out + c, n) }
        }
    }
}
