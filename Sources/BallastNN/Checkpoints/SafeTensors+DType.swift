extension SafeTensors {
    /// The element types Ballast reads (every one converted to `Float`); Ballast writes only ``f32``.
    public enum DType: String, Sendable, CaseIterable {
        /// IEEE 754 binary32.
        case f32 = "F32"
        /// IEEE 754 binary64 (rounded to the nearest `Float` when read).
        case f64 = "F64"
        /// IEEE 754 binary16.
        case f16 = "F16"
        /// bfloat16: the upper half of a binary32.
        case bf16 = "BF16"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .f32: return 4
            case .f64: return 8
            case .f16, .bf16: return 2
            }
        }

        /// Converts `count` little-endian elements starting at `base` to `Float`.
        func convert(_ base: UnsafeRawPointer, count: Int) -> [Float] {
            [Float](unsafeUninitializedCapacity: count) { out, initialized in
                switch self {
                case .f32:
                    for i in 0..<count {
                        out[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    }
                case .f64:
                    for i in 0..<count {
                        out[i] = Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                    }
                case .f16:
                    for i in 0..<count {
                        out[i] = Self.halfToFloat(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                    }
                case .bf16:
                    for i in 0..<count {
                        let bits = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                        out[i] = Float(bitPattern: UInt32(bits) << 16)
                    }
                }
                initialized = count
            }
        }

        /// The `Float` of an IEEE binary16 bit pattern (exact: every half is a float).
        static func halfToFloat(_ h: UInt16) -> Float {
            let sign = UInt32(h >> 15) << 31
            let exponent = Int((h >> 10) & 0x1F)
            let mantissa = UInt32(h & 0x3FF)
            switch exponent {
            case 0:
                // Zero or subnormal: mantissa · 2⁻²⁴.
                let magnitude = Float(mantissa) * 0x1p-24
                return sign == 0 ? magnitude : -magnitude
            case 31:
                return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
            default:
                return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
            }
        }
    }
}
