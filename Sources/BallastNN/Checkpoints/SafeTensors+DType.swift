extension SafeTensors {
    /// The element types Ballast reads (every one converted to `Float`); Ballast writes only ``f32``.
    ///
    /// Integer tensors (such as PyTorch's batch-norm `num_batches_tracked`, an `I64` scalar) are
    /// read as the nearest `Float`, exact up to 2²⁴ in magnitude.
    public enum DType: String, Sendable, CaseIterable {
        /// IEEE 754 binary32.
        case f32 = "F32"
        /// IEEE 754 binary64 (rounded to the nearest `Float` when read).
        case f64 = "F64"
        /// IEEE 754 binary16.
        case f16 = "F16"
        /// bfloat16: the upper half of a binary32.
        case bf16 = "BF16"
        /// Signed 64-bit integers.
        case i64 = "I64"
        /// Signed 32-bit integers.
        case i32 = "I32"
        /// Signed 16-bit integers.
        case i16 = "I16"
        /// Signed 8-bit integers.
        case i8 = "I8"
        /// Unsigned 8-bit integers.
        case u8 = "U8"
        /// Booleans, one byte each (0 or 1).
        case bool = "BOOL"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .f32, .i32: return 4
            case .f64, .i64: return 8
            case .f16, .bf16, .i16: return 2
            case .i8, .u8, .bool: return 1
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
                case .i64:
                    for i in 0..<count { out[i] = Float(Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
                case .i32:
                    for i in 0..<count { out[i] = Float(Int32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
                case .i16:
                    for i in 0..<count { out[i] = Float(Int16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))) }
                case .i8:
                    for i in 0..<count { out[i] = Float(base.load(fromByteOffset: i, as: Int8.self)) }
                case .u8:
                    for i in 0..<count { out[i] = Float(base.load(fromByteOffset: i, as: UInt8.self)) }
                case .bool:
                    for i in 0..<count { out[i] = base.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0 }
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
