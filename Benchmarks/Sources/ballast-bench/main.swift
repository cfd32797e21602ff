import Foundation

/// `ballast-bench NAME [ARGS...]`: the Swift side of the benchmarks in `Benchmarks/`.
///
/// Each benchmark prints one JSON object per measurement on stdout, so the Python drivers can put
/// Ballast and the Python anchor side by side in the same run.
let arguments = Array(CommandLine.arguments.dropFirst())
let benchmarks: [String: ([String]) throws -> Void] = [
    "gemm": benchGEMM,
    "gemm-shapes": benchGEMMShapes,
    "knn": benchKNN,
    "kmeans": benchKMeans,
    "csv": benchCSV,
    "simulate": benchSimulate,
    "resample": benchResample,
    "classifiers": benchClassifiers,
    "safetensors": benchSafeTensors,
    "mlp": benchMLP,
    "cnn": benchCNN,
    "nn": benchNN,
    "generator": benchGenerator,
    "gradient-penalty": benchGradientPenalty,
    "sample": benchSampling,
    "generator-epoch": benchGeneratorEpoch,
    "ssl": benchSemiSupervised,
    "knn-recall": benchKNNRecall,
    "tree-thresholds": benchTreeThresholds,
]
guard let name = arguments.first, let run = benchmarks[name] else {
    let names = benchmarks.keys.sorted().joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: ballast-bench NAME [ARGS...]; NAME is one of \(names)\n".utf8))
    exit(64)
}
do {
    try run(Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("ballast-bench \(name): \(error)\n".utf8))
    exit(1)
}
