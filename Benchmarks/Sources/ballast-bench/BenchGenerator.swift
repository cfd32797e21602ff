import BallastCore
import BallastData
import BallastLearn
import Foundation

/// `ballast-bench generator KDD_TRAIN METHOD [STRATEGY] [SEED] [OUT_CSV]`: one catalogue generator,
/// as an over-sampler, on NSL-KDD preprocessed by Ballast (122 columns). Prints the fit time and
/// the generator's report: per network the epochs run and the loss curves; per raised class the
/// mode-collapse figures and per-column KS of the generated rows; and, per raised class, the
/// HIKARI GAN paper's validation table (per-feature mean, standard deviation, min, max of real and
/// synthetic rows and the KS statistic and p-value) on the raw numeric columns.
/// `STRATEGY` is `CLASS=N,...` (default: every class to the majority's count).
func benchGenerator(_ arguments: [String]) throws {
    guard arguments.count >= 2 else { throw BenchError("usage: ballast-bench generator KDD_TRAIN METHOD [STRATEGY] [SEED] [OUT_CSV]") }
    let table = try NSLKDD.load(path: arguments[0])
    let preprocessor = try Preprocessor().fit(table.features)
    let data = try table.labeledMatrix(using: preprocessor)
    var resampler = try Catalog.resampler(arguments[1])
    if arguments.count > 2, arguments[2] != "auto" {
        var counts: [Int: Int] = [:]
        for part in arguments[2].split(separator: ",") {
            let pair = part.split(separator: "=")
            guard pair.count == 2, let c = data.classNames.firstIndex(of: String(pair[0])), let n = Int(pair[1]) else {
                throw BenchError("strategy \(arguments[2]): expected CLASS=N,...")
            }
            counts[c] = n
        }
        resampler.strategy = .counts(counts)
    }
    var rng = Xoshiro256StarStar(seed: arguments.count > 3 ? UInt64(arguments[3]) ?? 0 : 0)
    var result: ResamplingResult?
    let t = try seconds { result = try resampler.fitResample(data, schema: FeatureSchema(preprocessor: preprocessor), using: &rng) }
    guard let result else { throw BenchError("no result") }
    if arguments.count > 4 {
        try CSVWriter.write(preprocessor.inverseTransform(result.data.features), labels: result.data.labels,
                            classNames: result.data.classNames, labelColumn: "label", to: arguments[4])
    }
    let raw = try preprocessor.inverseTransform(data.features)
    let synthetic = try preprocessor.inverseTransform(result.data.features.gatherRows(data.count..<result.data.count))
    let syntheticLabels = Array(result.data.labels[data.count...])
    for generator in result.generators {
        report(["benchmark": "generator", "method": generator.method, "seconds": t, "fit_seconds": generator.fitSeconds,
                "parameters": generator.parameterCount, "flops_per_row": generator.flopsPerRow, "threads": Parallel.threadCount,
                "networks": generator.training.map { record -> [String: Any] in
                    ["class": record.classIndex.map { data.classNames[$0] } ?? "all", "epochs": record.epochs.count,
                     "best_epoch": record.bestEpoch, "stopped_early": record.stoppedEarly, "terms": record.lossTerms,
                     "curves": record.lossTerms.map { record.curve($0) ?? [] },
                     "validation_ks": record.epochs.map { $0.validationMetric ?? .nan }]
                },
                "classes": generator.classes.map { s -> [String: Any] in
                    ["class": s.className, "by": s.generatedBy, "real": s.realRows, "synthetic": s.syntheticRows,
                     "distinct": s.distinctFraction, "range_coverage": s.rangeCoverage, "mean_ks": s.meanKS, "worst_ks": s.worstKS,
                     "worst_column": s.worstColumn, "collapsed": s.collapsed(threshold: 0.5)]
                },
                "warnings": result.warnings.map(\.description)])
        for summary in generator.classes {
            guard let c = data.classNames.firstIndex(of: summary.className) else { continue }
            let realRows = raw.gatherRows(data.labels.indices.filter { data.labels[$0] == c })
            let fakeRows = synthetic.gatherRows(syntheticLabels.indices.filter { syntheticLabels[$0] == c })
            report(["benchmark": "generator-validation", "method": generator.method, "class": summary.className,
                    "features": validationTable(realRows, fakeRows, names: table.features.columns.map(\.name))])
        }
    }
}

/// The HIKARI GAN paper's per-feature comparison of real and synthetic rows (numeric raw columns).
func validationTable(_ real: Table, _ fake: Table, names: [String]) -> [[String: Any]] {
    zip(real.columns, fake.columns).compactMap { r, f -> [String: Any]? in
        guard case .numeric(let a) = r.values, case .numeric(let b) = f.values, let ks = Distribution.kolmogorovSmirnov(a, b) else { return nil }
        func stats(_ v: [Double]) -> [Double] {
            let mean = v.reduce(0, +) / Double(v.count)
            let sd = (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(v.count - 1, 1))).squareRoot()
            return [mean, sd, v.min() ?? 0, v.max() ?? 0]
        }
        return ["feature": r.name, "real": stats(a), "synthetic": stats(b), "ks": ks.statistic, "p": ks.pValue]
    }
}
