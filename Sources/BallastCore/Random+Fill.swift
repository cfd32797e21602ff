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
    /// - Parameter buffer: the values to overwrite.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>) {
        var i = 0
        while i < buffer.count {
            // 1 - u lies in (0, 1], so the logarithm is finite.
            let u1 = 1 - nextUniformFloat(), u2 = nextUniformFloat()
            let radius = (-2 * logf(u1)).squareRoot(), angle = 2 * Float.pi * u2
            buffer[i] = radius * cosf(angle)
            if i + 1 < buffer.count { buffer[i + 1] = radius * sinf(angle) }
            i += 2
        }
    }
}
