import BallastCore
import BallastData
import BallastLearn

/// The common checks every resampler must pass (imbalanced-learn's `check_estimator`, for
/// resamplers). Each check returns a description of what failed; an empty list means conformance.
///
/// Checks: seeded determinism; input untouched; shape, class table and finiteness of the output;
/// over-samplers keep every original row first and in order, under-samplers and cleaning methods
/// return a subset of the rows in order; counts exactly as the strategy says (over/under); counts
/// never grow for cleaning methods; tiny classes (1 and 3 rows) handled without crash or excess;
/// one class, empty input, NaN and mismatched label count throw the documented ``LearnError``;
/// impossible counts throw the documented ``ResamplingError``. A strategy that cannot be resolved for
/// the data must make the resampler throw. A pipeline (``ResamplingPipeline``, such as `smote-enn` or
/// `smote+oss`) is replayed with every step recorded: each step must pass the checks of its own kind
/// on the rows it received (counts, originals, subset, cleaning), each step must receive the previous
/// one's output, and the pipeline must return the last one's.
public enum ResamplerChecks {
    /// Labelled rows with their fitted feature schema.
    public struct Sample: Sendable {
        /// Preprocessed rows.
        public var data: LabeledMatrix
        /// The schema of the preprocessing that made them.
        public var schema: FeatureSchema
        /// The preprocessing.
        public var preprocessor: FittedPreprocessor
    }

    /// Seeded mixed-type data, preprocessed like real traffic: three Gaussian real columns, an integer
    /// count, a binary flag and a three-category protocol (one-hot), for classes of `counts` rows.
    public static func sample(seed: UInt64 = 11, counts: [Int] = [90, 30, 12]) -> Sample {
        var rng = Xoshiro256StarStar(seed: seed)
        var real = [[Double]](repeating: [], count: 3), integer: [Double] = [], flag: [Double] = [], proto: [Int32] = []
        var labels: [Int] = []
        for (c, n) in counts.enumerated() {
            for _ in 0..<n {
                for j in 0..<3 { real[j].append(rng.nextNormal() + (j % 2 == 0 ? 1.5 : -1) * Double(c)) }
                integer.append(Double(rng.nextInt(below: 5 + 3 * c)))
                flag.append(rng.nextUniform() < 0.2 + 0.3 * Double(c % 2) ? 1 : 0)
                proto.append(Int32(rng.nextUniform() < 0.6 ? c % 3 : rng.nextInt(below: 3)))
                labels.append(c)
            }
        }
        let table = Table(columns: [
            TableColumn(name: "a", values: .numeric(real[0])),
            TableColumn(name: "b", values: .numeric(real[1])),
            TableColumn(name: "c", values: .numeric(real[2])),
            TableColumn(name: "count", values: .numeric(integer)),
            TableColumn(name: "flag", values: .numeric(flag)),
            TableColumn(name: "protocol", values: .categorical(codes: proto, categories: ["tcp", "udp", "icmp"])),
        ])
        let order = rng.permutation(labels.count)
        let shuffled = Table(columns: table.columns.map { column in
            switch column.values {
            case .numeric(let v): return TableColumn(name: column.name, values: .numeric(order.map { v[$0] }))
            case let .categorical(codes, categories):
                return TableColumn(name: column.name, values: .categorical(codes: order.map { codes[$0] }, categories: categories))
            }
        })
        // The preprocessing cannot fail on this hand-made table.
        let fitted = try! Preprocessor(logTransform: .none).fit(shuffled)
        let features = try! fitted.transform(shuffled)
        let data = LabeledMatrix(features: features, labels: order.map { labels[$0] }, classNames: counts.indices.map { "class\($0)" })
        return Sample(data: data, schema: FeatureSchema(preprocessor: fitted), preprocessor: fitted)
    }

    /// Runs every check on `resampler`.
    /// - Parameter sample: the data to resample (default ``sample(seed:counts:)``).
    /// - Returns: one message per failed check.
    public static func failures(of resampler: any Resampler, sample: Sample = sample()) -> [String] {
        var failures: [String] = []
        let name = "\(type(of: resampler))"
        let data = sample.data
        // A deep copy: a resampler writing through unsafe pointers would change a shallow one too.
        let copy = LabeledMatrix(features: Matrix(rows: data.features.rows, columns: data.features.columns,
                                                  values: data.features.storage.map { $0 }),
                                 labels: data.labels, classNames: data.classNames)
        var rngA = Xoshiro256StarStar(seed: 42), rngB = Xoshiro256StarStar(seed: 42)
        let first: LabeledMatrix, second: LabeledMatrix
        do {
            first = try resampler.resample(data, schema: sample.schema, using: &rngA)
            second = try resampler.resample(data, schema: sample.schema, using: &rngB)
        } catch {
            return ["\(name): resampling valid data threw \(error)"]
        }
        if first != second { failures.append("determinism: two runs with seed 42 differ") }
        if data != copy { failures.append("input: the input was modified") }
        failures += shapeFailures(first, input: data)
        var snapped = first.features
        sample.schema.snap(&snapped)
        // Snapping a valid record moves it by Float rounding only; an unsnapped synthetic value (an
        // integer 0.37, a half-hot group) moves by far more.
        let moved = zip(snapped.storage, first.features.storage).map { abs($0 - $1) }.max() ?? 0
        if moved > 1e-3 { failures.append("type-aware: output rows are not valid records of the schema (snap moves a value by \(moved))") }
        failures += kindFailures(resampler, output: first, input: data)
        failures += pipelineFailures(resampler, data: data, schema: sample.schema, seed: 42, output: first)
        failures += tinyClassFailures(resampler)
        failures += errorFailures(resampler, sample: sample)
        return failures
    }

    static func shapeFailures(_ out: LabeledMatrix, input: LabeledMatrix) -> [String] {
        var f: [String] = []
        if out.features.columns != input.features.columns { f.append("shape: \(out.features.columns) columns, expected \(input.features.columns)") }
        if out.labels.count != out.features.rows { f.append("shape: \(out.labels.count) labels for \(out.features.rows) rows") }
        if out.classNames != input.classNames { f.append("shape: class names changed") }
        if let (r, c) = out.features.firstNonFinite() { f.append("finite: output row \(r), column \(c) is not finite") }
        if out.labels.contains(where: { $0 < 0 || $0 >= input.classNames.count }) { f.append("labels: a label is outside the class table") }
        return f
    }

    /// Whether `out` is a subsequence of the rows of `input` (same rows, original order).
    static func isOrderedSubset(_ out: LabeledMatrix, of input: LabeledMatrix) -> Bool {
        var j = 0
        for i in 0..<out.count {
            let row = out.features.row(i)
            while j < input.count && (input.features.row(j) != row || input.labels[j] != out.labels[i]) { j += 1 }
            if j == input.count { return false }
            j += 1
        }
        return true
    }

    static func kindFailures(_ resampler: any Resampler, output: LabeledMatrix, input: LabeledMatrix) -> [String] {
        var f: [String] = []
        let counts = input.classCounts
        switch resampler.kind {
        case .overSampling, .underSampling, .prototypeGeneration:
            let purpose: SamplingStrategy.Purpose = resampler.kind == .overSampling ? .overSampling : .underSampling
            f += countFailures(resampler, output: output, input: input, purpose: purpose)
            if resampler.kind == .overSampling {
                if output.count < input.count
                    || output.gatherRows(Array(0..<input.count)) != input {
                    f.append("originals: an over-sampler must keep every original row first, in order")
                }
            } else if !isOrderedSubset(output, of: input) && resampler.kind == .underSampling {
                f.append("subset: an under-sampler must return original rows in their order")
            }
        case .cleaning:
            if zip(output.classCounts, counts).contains(where: { $0 > $1 }) { f.append("cleaning: a class grew \(counts) → \(output.classCounts)") }
            if !isOrderedSubset(output, of: input) { f.append("subset: a cleaning method must return original rows in their order") }
        case .combination:
            break  // step by step: pipelineFailures
        }
        return f
    }

    /// Exact counts of an over-, under-sampler or prototype method; a strategy that cannot be resolved
    /// for `input` is a failure too (the resampler should have thrown).
    static func countFailures(_ resampler: any Resampler, output: LabeledMatrix, input: LabeledMatrix,
                              purpose: SamplingStrategy.Purpose) -> [String] {
        let counts = input.classCounts
        do {
            let targets = try resampler.strategy.targetCounts(counts: counts, classNames: input.classNames, purpose: purpose)
            return output.classCounts == targets ? [] : ["counts: \(output.classCounts), the strategy asks for \(targets)"]
        } catch {
            return ["counts: the strategy \(resampler.strategy) cannot be resolved for counts \(counts) (\(error)), "
                    + "yet resampling did not throw"]
        }
    }

    /// The checks of a pipeline: replays it with every step recorded (see ``ResamplerChecks``).
    /// Nothing for other kinds; a combination that is not a ``ResamplingPipeline`` cannot be checked
    /// step by step and is reported.
    static func pipelineFailures(_ resampler: any Resampler, data: LabeledMatrix, schema: FeatureSchema, seed: UInt64,
                                 output: LabeledMatrix) -> [String] {
        guard resampler.kind == .combination else { return [] }
        guard let pipeline = resampler as? ResamplingPipeline else {
            return ["combination: \(type(of: resampler)) is not a ResamplingPipeline, so its steps cannot be checked"]
        }
        let log = StepLog()
        var rng = Xoshiro256StarStar(seed: seed)
        let replay: LabeledMatrix
        do {
            replay = try recording(pipeline, into: log).resample(data, schema: schema, using: &rng)
        } catch {
            return ["combination: replaying the steps threw \(error)"]
        }
        var f: [String] = []
        if replay != output { f.append("combination: the pipeline with its steps recorded gives a different output") }
        var expectedInput = data
        for (i, step) in log.steps.enumerated() {
            let name = "step \(i + 1), \(type(of: step.resampler))"
            if step.input != expectedInput { f.append("combination: \(name) did not receive the previous step's output") }
            f += kindFailures(step.resampler, output: step.output, input: step.input).map { "\($0) (\(name))" }
            expectedInput = step.output
        }
        if output != expectedInput { f.append("combination: the output is not the last step's output") }
        return f
    }

    /// `pipeline` with every step (inside nested pipelines too) wrapped in a ``RecordingStep``.
    static func recording(_ pipeline: ResamplingPipeline, into log: StepLog) -> ResamplingPipeline {
        ResamplingPipeline(steps: pipeline.steps.map { step in
            if let nested = step as? ResamplingPipeline { return recording(nested, into: log) }
            return RecordingStep(base: step, log: log)
        }, strategy: pipeline.strategy)
    }

    /// The steps a pipeline ran, in order: each with the strategy it was given, its input and output.
    final class StepLog: @unchecked Sendable {  // written by one pipeline run on one thread
        var steps: [(resampler: any Resampler, input: LabeledMatrix, output: LabeledMatrix)] = []
    }

    /// A pipeline step that records what it did in a ``StepLog``; the pipeline's strategy changes
    /// reach the wrapped step.
    struct RecordingStep: Resampler {
        var base: any Resampler
        let log: StepLog
        var strategy: SamplingStrategy {
            get { base.strategy }
            set { base.strategy = newValue }
        }
        var kind: ResamplerKind { base.kind }

        func fitResample(_ data: LabeledMatrix, schema: FeatureSchema?,
                         using rng: inout some RandomNumberGenerator) throws -> ResamplingResult {
            let result = try base.fitResample(data, schema: schema, using: &rng)
            log.steps.append((base, data, result.data))
            return result
        }
    }

    static func tinyClassFailures(_ resampler: any Resampler) -> [String] {
        var f: [String] = []
        for counts in [[40, 12, 3], [40, 12, 1]] {
            let tiny = sample(seed: 5, counts: counts)
            let data = tiny.data
            var rng = Xoshiro256StarStar(seed: 1)
            do {
                let out = try resampler.resample(data, schema: tiny.schema, using: &rng)
                f += shapeFailures(out, input: data).map { "tiny classes \(counts): \($0)" }
                if resampler.kind == .overSampling {
                    f += countFailures(resampler, output: out, input: data, purpose: .overSampling).map { "tiny classes \(counts): \($0)" }
                }
                f += pipelineFailures(resampler, data: data, schema: tiny.schema, seed: 1, output: out)
                    .map { "tiny classes \(counts): \($0)" }
            } catch {
                f.append("tiny classes \(counts): threw \(error)")
            }
        }
        return f
    }

    static func errorFailures(_ resampler: any Resampler, sample: Sample) -> [String] {
        var f: [String] = []
        let data = sample.data
        func expect(_ what: String, _ method: any Resampler, _ input: LabeledMatrix, _ matches: (Error) -> Bool) {
            var rng = Xoshiro256StarStar(seed: 3)
            do {
                _ = try method.resample(input, schema: sample.schema, using: &rng)
                f.append("errors: \(what) did not throw")
            } catch {
                if !matches(error) { f.append("errors: \(what) threw \(error), not the documented error") }
            }
        }
        let single = LabeledMatrix(features: data.features, labels: Array(repeating: 0, count: data.count), classNames: data.classNames)
        expect("one class", resampler, single) { ($0 as? LearnError).map { if case .singleClass = $0 { true } else { false } } ?? false }
        let empty = LabeledMatrix(features: Matrix(rows: 0, columns: data.features.columns), labels: [], classNames: data.classNames)
        expect("empty input", resampler, empty) { ($0 as? LearnError) == .emptyData }
        var nan = data
        nan.features[2, 1] = .nan
        expect("NaN feature", resampler, nan) { ($0 as? LearnError) == .nonFinite(row: 2, column: 1) }
        var short = data
        short.labels.removeLast()
        expect("label count mismatch", resampler, short) { ($0 as? LearnError) == .labelCountMismatch(rows: data.count, labels: data.count - 1) }
        let counts = data.classCounts
        var bad = resampler
        switch resampler.kind {
        case .overSampling:
            bad.strategy = .counts([0: counts[0] - 1])
            expect("an over-sampler asked for fewer rows", bad, data) {
                isResampling($0) { if case .overSamplingBelowCurrent = $0 { true } else { false } }
            }
        case .underSampling, .prototypeGeneration:
            bad.strategy = .counts([2: counts[2] + 1])
            expect("an under-sampler asked for more rows", bad, data) {
                isResampling($0) { if case .underSamplingAboveCurrent = $0 { true } else { false } }
            }
        case .cleaning:
            bad.strategy = .counts([0: 1])
            expect("a cleaning method given counts", bad, data) {
                isResampling($0) { if case .countsNotSupported = $0 { true } else { false } }
            }
        case .combination:
            break
        }
        return f
    }

    static func isResampling(_ error: Error, _ test: (ResamplingError) -> Bool) -> Bool {
        (error as? ResamplingError).map(test) ?? false
    }
}
