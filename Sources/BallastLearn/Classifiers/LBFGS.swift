/// Limited-memory BFGS (Liu & Nocedal 1989) with a backtracking Armijo line search, for smooth
/// convex objectives such as regularized logistic regression.
struct LBFGS {
    /// Stored correction pairs.
    var memory = 10
    /// Maximum iterations.
    var maxIterations = 100
    /// Stop when the largest gradient component is at most this (scipy's `pgtol`).
    var gradientTolerance = 1e-4
    /// Stop when the objective's relative decrease falls below this (scipy's `factr · eps`).
    var relativeTolerance = 2.2e-9

    /// The result of a minimization.
    struct Result {
        var x: [Double]
        var value: Double
        var iterations: Int
        var converged: Bool
    }

    /// Minimizes `f`, which returns the objective at `x` and writes its gradient into `gradient`.
    func minimize(_ x0: [Double], _ f: (_ x: [Double], _ gradient: inout [Double]) -> Double) -> Result {
        let n = x0.count
        var x = x0
        var g = [Double](repeating: 0, count: n)
        var value = f(x, &g)
        var sHistory: [[Double]] = [], yHistory: [[Double]] = [], rhoHistory: [Double] = []
        var direction = [Double](repeating: 0, count: n)
        var alpha = [Double](repeating: 0, count: memory)
        var xNew = x, gNew = g
        for iteration in 0..<maxIterations {
            if g.reduce(0, { max($0, abs($1)) }) <= gradientTolerance {
                return Result(x: x, value: value, iterations: iteration, converged: true)
            }
            // Two-loop recursion: direction = −H·g.
            for i in 0..<n { direction[i] = -g[i] }
            for j in stride(from: sHistory.count - 1, through: 0, by: -1) {
                alpha[j] = rhoHistory[j] * dot(sHistory[j], direction)
                for i in 0..<n { direction[i] -= alpha[j] * yHistory[j][i] }
            }
            if let s = sHistory.last, let y = yHistory.last {
                let gamma = dot(s, y) / dot(y, y)
                for i in 0..<n { direction[i] *= gamma }
            } else {
                let norm = dot(g, g).squareRoot()
                for i in 0..<n { direction[i] /= max(norm, 1) }
            }
            for j in 0..<sHistory.count {
                let beta = rhoHistory[j] * dot(yHistory[j], direction)
                for i in 0..<n { direction[i] += (alpha[j] - beta) * sHistory[j][i] }
            }
            var slope = dot(g, direction)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                for i in 0..<n { direction[i] = -g[i] }
                slope = dot(g, direction)
            }
            var step = 1.0
            var newValue = value
            var accepted = false
            for _ in 0..<40 {
                for i in 0..<n { xNew[i] = x[i] + step * direction[i] }
                newValue = f(xNew, &gNew)
                if newValue.isFinite && newValue <= value + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { return Result(x: x, value: value, iterations: iteration, converged: false) }
            var s = [Double](repeating: 0, count: n), y = s
            for i in 0..<n { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i] }
            let sy = dot(s, y)
            if sy > 1e-12 * dot(y, y) {
                if sHistory.count == memory { sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst() }
                sHistory.append(s); yHistory.append(y); rhoHistory.append(1 / sy)
            }
            let decrease = value - newValue
            swap(&x, &xNew)
            swap(&g, &gNew)
            value = newValue
            if decrease <= relativeTolerance * max(abs(value), abs(value + decrease), 1) {
                return Result(x: x, value: value, iterations: iteration + 1, converged: true)
            }
        }
        return Result(x: x, value: value, iterations: maxIterations, converged: false)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }
}
