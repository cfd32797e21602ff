/// Splitting an integer total among parts in proportion to weights, exactly.
enum Allocation {
    /// Largest-remainder apportionment: non-negative integers proportional to `weights` that sum to
    /// exactly `total` (ties in remainders → the lower index). Zero or non-finite weights get nothing
    /// unless every weight is zero, in which case the total is spread evenly.
    static func proportional(_ total: Int, weights: [Double]) -> [Int] {
        guard !weights.isEmpty, total > 0 else { return Array(repeating: 0, count: weights.count) }
        var w = weights.map { $0.isFinite && $0 > 0 ? $0 : 0 }
        var sum = w.reduce(0, +)
        if sum == 0 {
            w = Array(repeating: 1, count: weights.count)
            sum = Double(weights.count)
        }
        var shares = w.map { Int((Double(total) * $0 / sum).rounded(.down)) }
        let remainders = w.enumerated().map { (i, x) in (Double(total) * x / sum - Double(shares[i]), i) }
        var left = total - shares.reduce(0, +)
        for (_, i) in remainders.sorted(by: { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }) where left > 0 {
            shares[i] += 1
            left -= 1
        }
        return shares
    }

    /// Like ``proportional(_:weights:)`` but no part exceeds its capacity; the excess goes to parts
    /// with room, in proportion to their weights. Requires `total ≤ capacities.sum`.
    static func capped(_ total: Int, weights: [Double], capacities: [Int]) -> [Int] {
        var shares = Array(repeating: 0, count: weights.count)
        var remaining = total
        var open = Set(weights.indices.filter { capacities[$0] > 0 })
        while remaining > 0 && !open.isEmpty {
            let order = open.sorted()
            let part = proportional(remaining, weights: order.map { weights[$0] })
            var progressed = false
            for (slot, i) in order.enumerated() {
                let give = min(part[slot], capacities[i] - shares[i])
                if give > 0 { progressed = true }
                shares[i] += give
                remaining -= give
                if shares[i] == capacities[i] { open.remove(i) }
            }
            if !progressed {
                // Every open part got 0 from rounding: give one row each in index order.
                for i in order where remaining > 0 && shares[i] < capacities[i] {
                    shares[i] += 1
                    remaining -= 1
                    if shares[i] == capacities[i] { open.remove(i) }
                }
            }
        }
        return shares
    }
}
