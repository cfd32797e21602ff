import BallastNN
import Foundation

/// `ballast-bench safetensors IN OUT`: reads the safetensors file `IN` with Ballast, prints one JSON
/// line with every tensor (shape, and the bit patterns of its values as Float) and the metadata, and writes the same tensors
/// and metadata (plus `written_by=ballast`) to `OUT` as F32. `Benchmarks/safetensors_check.py`
/// drives it to check that files cross between Python and Ballast unchanged.
func benchSafeTensors(_ arguments: [String]) throws {
    guard arguments.count == 2 else { throw BenchError("usage: ballast-bench safetensors IN OUT") }
    let file = try SafeTensors.read(contentsOf: URL(fileURLWithPath: arguments[0]))
    var tensors: [String: Any] = [:]
    for (name, tensor) in file.tensors {
        tensors[name] = ["shape": tensor.shape, "bits": tensor.values.map { Int($0.bitPattern) }]
    }
    report(["tensors": tensors, "metadata": file.metadata])
    var metadata = file.metadata
    metadata["written_by"] = "ballast"
    try SafeTensors.write(file.tensors, metadata: metadata, to: URL(fileURLWithPath: arguments[1]))
}
