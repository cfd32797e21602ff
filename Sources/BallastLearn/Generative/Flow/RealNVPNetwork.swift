import BallastCore
import BallastNN

/// The shape of a ``RealNVP`` network: a coupling flow over every feature, plus the fixed
/// standardisation of its inputs (see ``DequantisedRows``).
struct RealNVPArchitecture: Sendable, Codable, Equatable {
    /// Columns of a row.
    var features: Int
    /// The couplings (over `features` dimensions).
    var flow: CouplingFlowShape

    /// Trainable scalars of one network, from the shape; `nil` past ``FlowArchitecture/maximumParameters``.
    var parameterCount: Int? { flow.parameterCount }

    /// Whether a decoded architecture is consistent and within the allowed sizes.
    var isPlausible: Bool { flow.dimensions == features && flow.isPlausible }

    /// FLOPs of one generated row: the inverse couplings and the de-standardisation.
    var flopsPerRow: Int { flow.flopsPerRow + 2 * features }

    /// Builds the network with fresh weights (an identity flow, unit standardisation).
    func build(using rng: inout some RandomNumberGenerator) -> RealNVPNetwork {
        RealNVPNetwork(architecture: self, using: &rng)
    }
}

/// The layers of a ``RealNVPArchitecture`` (a reference type: it owns the parameters).
final class RealNVPNetwork: FlowSampler {
    let architecture: RealNVPArchitecture
    let flow: CouplingFlow
    /// `1 × features` mean of the dequantised scaled columns (`standardize.mean`, a buffer).
    let mean: Parameter
    /// `1 × features` standard deviation of the dequantised scaled columns (`standardize.std`).
    let deviation: Parameter
    /// The resolution of real columns (generated rows are rounded to it, see ``NormalizingFlowModel``).
    let grid: ColumnGrid

    init(architecture a: RealNVPArchitecture, using rng: inout some RandomNumberGenerator) {
        architecture = a
        flow = CouplingFlow(shape: a.flow, name: "couplings", using: &rng)
        mean = Parameter(name: "standardize.mean", value: Matrix(rows: 1, columns: a.features), shape: [a.features])
        deviation = Parameter(name: "standardize.std", value: Matrix(rows: 1, columns: a.features, repeating: 1), shape: [a.features])
        grid = ColumnGrid(features: a.features)
    }

    var features: Int { architecture.features }
    var parameters: [Parameter] { flow.parameters }
    var buffers: [Parameter] { [mean, deviation] + grid.buffers }
    func flopsPerSample() -> Int { architecture.flopsPerRow }

    /// Sets the standardisation from a class's dequantised rows.
    func standardise(like rows: DequantisedRows) {
        mean.value = Matrix(rows: 1, columns: rows.columns, values: rows.mean)
        deviation.value = Matrix(rows: 1, columns: rows.columns, values: rows.deviation)
    }

    /// `count` rows: `z ~ N(0, temperature² I)` through the inverse couplings, de-standardised.
    func generateChunk(_ count: Int, temperature: Float, on tape: Tape<Float>, using rng: inout some RandomNumberGenerator) -> Matrix {
        let d = architecture.features
        let z = baseNoise(rows: count, columns: d, temperature: temperature, on: tape, using: &rng)
        var x = tape.matrix(flow.inverse(z, on: tape))
        mean.value.withUnsafeBufferPointer { m in
            deviation.value.withUnsafeBufferPointer { s in
                x.withUnsafeMutableBufferPointer { v in
                    for r in 0..<count { for j in 0..<d { v[r * d + j] = v[r * d + j] * s[j] + m[j] } }
                }
            }
        }
        return x
    }
}
