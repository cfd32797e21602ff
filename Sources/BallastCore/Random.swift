/// Seeded pseudo-random number generation.
///
/// Ballast never uses global or system randomness in library code: every stochastic entry point takes
/// `inout some RandomNumberGenerator`. The standard library's `shuffle`, `randomElement` and
/// `Float.random(in:using:)` are not used either, because their algorithms may change between Swift
/// releases; the draws below are ours and are fixed forever for a given seed.

/// SplitMix64 (Steele, Lea & Flood 2014): used to expand one 64-bit seed into generator state.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// The current state; advanced by a fixed odd constant on every draw.
    public var state: UInt64

    /// Creates a generator whose first output is a function of `seed` only.
    public init(seed: UInt64) { state = seed }

    /// Returns the next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman & Vigna 2018): Ballast's stream generator.
///
/// Seed it with ``init(seed:)`` (state expanded by ``SplitMix64``) and derive independent child
/// streams with ``split()`` before fanning work out to threads.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable, Codable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// Creates a generator from a 64-bit seed. Equal seeds give equal streams on every platform.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }  // the all-zero state is a fixed point
    }

    /// Returns the next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Draws a seed from this stream and returns a new generator seeded with it.
    ///
    /// Use it to give each parallel task its own stream: draw all children *before* the fan-out so
    /// that the result does not depend on scheduling.
    public mutating func split() -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: next())
    }
}

extension RandomNumberGenerator {
    /// A uniform `Double` in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    @inlinable
    public mutating func nextUniformFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A uniform integer in `0..<upperBound`, without modulo bias (Lemire 2019).
    ///
    /// - Precondition: `upperBound > 0` (a programmer error otherwise).
    @inlinable
    public mutating func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "nextInt(below:) needs a positive bound")
        let bound = UInt64(upperBound)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return Int(product.high)
    }

    /// A standard normal draw (mean 0, variance 1) by the Box–Muller transform.
    @inlinable
    public mutating func nextNormal() -> Double {
        // 1 - u lies in (0, 1], so the logarithm is finite.
        let u1 = 1.0 - nextUniform()
        let u2 = nextUniform()
        return (-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2)
    }

    /// A normal draw with the given mean and standard deviation.
    @inlinable
    public mutating func nextNormal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * nextNormal()
    }

    /// Shuffles `array` in place (Fisher–Yates, drawing from the back).
    public mutating func shuffle<T>(_ array: inout [T]) {
        var i = array.count
        while i > 1 {
            let j = nextInt(below: i)
            i -= 1
            array.swapAt(i, j)
        }
    }

    /// A random permutation of `0..<count`.
    public mutating func permutation(_ count: Int) -> [Int] {
        var p = Array(0..<max(0, count))
        shuffle(&p)
        return p
    }

    /// `count` distinct indices drawn uniformly from `0..<population`, in draw order.
    ///
    /// Uses a partial Fisher–Yates shuffle when `count` is a large fraction of the population and
    /// rejection with a set otherwise, so memory is O(count) for small samples.
    /// - Precondition: `0 <= count <= population`.
    public mutating func sampleWithoutReplacement(from population: Int, count: Int) -> [Int] {
        precondition(count >= 0 && count <= population, "cannot draw \(count) distinct values from \(population)")
        if count * 4 >= population {
            var p = Array(0..<population)
            for i in 0..<count {
                let j = i + nextInt(below: population - i)
                p.swapAt(i, j)
            }
            return Array(p[0..<count])
        }
        var seen = Set<Int>(minimumCapacity: count)
        var out: [Int] = []
        out.reserveCapacity(count)
        while out.count < count {
            let v = nextInt(below: population)
            if seen.insert(v).inserted { out.append(v) }
        }
        return out
    }

    /// An index drawn with probability proportional to `weights[i]`.
    ///
    /// Negative and non-finite weights count as zero. Returns `nil` when no weight is positive.
    public mutating func weightedChoice(_ weights: [Double]) -> Int? {
        var total = 0.0
        for w in weights where w.isFinite && w > 0 { total += w }
        guard total > 0 else { return nil }
        let target = nextUniform() * total
        var acc = 0.0
        var last = 0
        for (i, w) in weights.enumerated() where w.isFinite && w > 0 {
            acc += w
            last = i
            if target < acc { return i }
        }
        return last
    }

    /// Draws `count` seeds for child generators, in order, before any parallel fan-out.
    public mutating func childSeeds(_ count: Int) -> [UInt64] {
        (0..<max(0, count)).map { _ in next() }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline func _log(_ x: Double) -> Double { log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { cos(x) }
