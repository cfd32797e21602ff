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
