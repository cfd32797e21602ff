#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomNumberGenerator {
    /// Fills `buffer` with standard normal draws (Box–Muller in `Float`, both values of each pair
    /// used): the noise of generators and reparameterised samples, where one `nextNormal()` per
    /// element would cost twice the draws.
    ///
    /// The uniform draws are taken first, in order, on the calling thread (about a nanosecond
    /// each); the logarithms, square roots and sines that turn each pair into two normals are then
    /// shared with ``Parallel``'s workers when they are awake (they were 7% of the calling thread's
    /// time in a CGAN training step). The values do not depend on how the work is shared.
    /// - Parameter buffer: the values to overwrite.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>) {
        guard let out = buffer.baseAddress else { return }
        let n = buffer.count, pairs = (n + 1) / 2
        // u1 of pair i goes to 2i and u2 to 2i + 1; an odd count's last u2 has no slot of its own.
        var lastU2: Float = 0
        for i in 0..<pairs {
            // 1 - u lies in (0, 1], so the logarithm is finite.
            out[2 * i] = 1 - nextUniformFloat()
            let u2 = nextUniformFloat()
            if 2 * i + 1 < n { out[2 * i + 1] = u2 } else { lastU2 = u2 }
        }
        let oddTail = lastU2
        Parallel.split(pairs, minimumChunk: 1024) { part in
            for i in part {
                let u1 = out[2 * i], u2 = 2 * i + 1 < n ? out[2 * i + 1] : oddTail
                let radius = (-2 * logf(u1)).squareRoot(), angle = 2 * Float.pi * u2
                out[2 * i] = radius * cosf(angle)
                if 2 * i + 1 < n { out[2 * i + 1] = radius * sinf(angle) }
            }
        }
    }
}
