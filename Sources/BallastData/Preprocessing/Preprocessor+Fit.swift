import BallastCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Preprocessor {
    /// Learns column kinds, categories, imputation values, log1p flags, scalers and observed ranges
    /// from training data.
    ///
    /// - Parameter table: the training features (never the test set: that would leak).
    /// - Returns: the fitted preprocessing, which transforms any table with the same columns.
    /// - Throws: ``PreprocessingError`` for a table without rows or columns, a min-max range with
    ///   `lower >= upper`, a column whose training values are all missing, an infinite value, a log
    ///   column that is unknown or holds a negative value.
    public func fit(_ table: Table) throws -> FittedPreprocessor {
        if table.columns.isEmpty { throw PreprocessingError.noColumns }
        if table.rowCount == 0 { throw PreprocessingError.emptyTable }
        var clip = false
        switch scaling {
        case let .minMax(lower, upper):
            guard lower.isFinite, upper.isFinite, lower < upper else {
                throw PreprocessingError.invalidMinMaxRange(lower: lower, upper: upper)
            }
            clip = clipping != .never
        case .zScore, .none:
            clip = clipping == .always
        }
        let numericNames = Set(table.columns.compactMap { column -> String? in
            if case .numeric = column.values { return column.name }
            return nil
        })
        switch logTransform {
        case let .auto(excluding: names), let .columns(names):
            for name in names where !numericNames.contains(name) { throw PreprocessingError.unknownLogColumn(name) }
        case .none: break
        }

        var fitted: [FittedColumn] = []
        var outputs: [OutputColumn] = []
        var groups: [Range<Int>] = []
        for (index, column) in table.columns.enumerated() {
            let start = outputs.count
            switch column.values {
            case let .numeric(values):
                var f = try fitNumeric(name: column.name, values: values, clip: clip)
                f.outputRange = start..<(start + 1)
                let role: OutputColumn.Role = f.kind == .binary ? .binary : (f.kind == .integer ? .integer : .real)
                outputs.append(OutputColumn(name: column.name, sourceColumn: index, role: role))
                fitted.append(f)
            case let .categorical(codes, categories):
                let (kept, mode) = try Self.trainingCategories(name: column.name, codes: codes, categories: categories)
                switch categoricalEncoding {
                case .oneHot:
                    let group = groups.count
                    for category in kept {
                        outputs.append(OutputColumn(name: "\(column.name)=\(category)", sourceColumn: index,
                                                    role: .oneHot(group: group)))
                    }
                    groups.append(start..<outputs.count)
                case .ordinal:
                    outputs.append(OutputColumn(name: column.name, sourceColumn: index, role: .ordinal))
                }
                fitted.append(FittedColumn(name: column.name, kind: .categorical, categories: kept,
                                           imputationValue: Double(mode), logTransformed: false, shift: 0, factor: 1,
                                           base: 0, observedMin: 0, observedMax: Double(kept.count - 1),
                                           clipsToTrainingRange: false, outputRange: start..<outputs.count))
            }
        }
        return FittedPreprocessor(configuration: self, columns: fitted, outputColumns: outputs, oneHotGroups: groups)
    }

    /// Fits one numeric column (output range filled in by the caller).
    private func fitNumeric(name: String, values: [Double], clip: Bool) throws -> FittedColumn {
        var present: [Double] = []
        present.reserveCapacity(values.count)
        var integral = true, binary = true
        for (row, v) in values.enumerated() where !v.isNaN {
            guard v.isFinite else { throw PreprocessingError.nonFinite(column: name, row: row, value: v) }
            present.append(v)
            if v != 0 && v != 1 { binary = false }
            if v.rounded() != v { integral = false }
        }
        guard !present.isEmpty else { throw PreprocessingError.allMissing(column: name) }
        present = present.withUnsafeBufferPointer { values in RadixSort.order(values).map { values[Int($0)] } }
        let kind: FittedColumn.Kind = binary ? .binary : (integral ? .integer : .real)
        let useLog: Bool
        switch logTransform {
        case .none: useLog = false
        case let .columns(names): useLog = names.contains(name)
        case let .auto(excluding):
            useLog = !excluding.contains(name) && Self.isHeavyTailed(sorted: present, isBinary: binary)
        }
        if useLog, let first = present.first, first < 0 {
            let row = values.firstIndex { $0 < 0 } ?? 0
            throw PreprocessingError.negativeValueForLog(column: name, row: row, value: first)
        }
        let n = present.count
        var median = n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2
        if kind != .real { median = median.rounded() }
        let lo = present[0], hi = present[n - 1]
        var shift = 0.0, factor = 1.0, base = 0.0
        switch scaling {
        case .none: break
        case let .minMax(lower, upper):
            let tlo = useLog ? log1p(lo) : lo, thi = useLog ? log1p(hi) : hi
            shift = tlo
            base = Double(lower)
            if thi > tlo { factor = (Double(upper) - Double(lower)) / (thi - tlo) }
        case .zScore:
            var sum = 0.0
            for v in present { sum += useLog ? log1p(v) : v }
            let mean = sum / Double(n)
            var ss = 0.0
            for v in present { let d = (useLog ? log1p(v) : v) - mean; ss += d * d }
            let std = (ss / Double(n)).squareRoot()
            shift = mean
            if std > 1e-12 * max(1, abs(mean)) { factor = 1 / std }
        }
        var ceiling = Float.infinity
        if case let .minMax(_, upper) = scaling { ceiling = upper }
        let tieBreaks = Self.tieBreaks(sorted: present, useLog: useLog, shift: shift, factor: factor, base: base, ceiling: ceiling)
        return FittedColumn(name: name, kind: kind, categories: [], imputationValue: median, logTransformed: useLog,
                            shift: shift, factor: factor, base: base, observedMin: lo, observedMax: hi,
                            clipsToTrainingRange: clip, outputRange: 0..<0, tieBreaks: tieBreaks)
    }

    /// The training values whose `Float` output would not exceed the previous distinct value's, with
    /// the next `Float` up as their output (see ``TieBreaks``); outputs never pass `ceiling` (the
    /// upper bound of min-max scaling), so values that would are left merged.
    static func tieBreaks(sorted: [Double], useLog: Bool, shift: Double, factor: Double, base: Double,
                          ceiling: Float) -> TieBreaks? {
        var values: [Double] = [], outputs: [Float] = []
        var previousValue = -Double.infinity, previous = -Float.infinity
        for v in sorted where v != previousValue {
            previousValue = v
            var out = Float(((useLog ? log1p(v) : v) - shift) * factor + base)
            if out <= previous {
                let bumped = previous.nextUp
                if bumped > ceiling { break }
                out = bumped
                values.append(v)
                outputs.append(out)
            }
            previous = out
        }
        return values.isEmpty ? nil : TieBreaks(values: values, outputs: outputs)
    }

    /// The categories occurring in the training codes (in the table's first-appearance order) and the
    /// index of the most frequent one among them.
    private static func trainingCategories(name: String, codes: [Int32], categories: [String]) throws -> ([String], Int) {
        var counts = [Int](repeating: 0, count: categories.count)
        for c in codes where c >= 0 && Int(c) < categories.count { counts[Int(c)] += 1 }
        var kept: [String] = []
        var mode = 0, best = 0
        for (i, category) in categories.enumerated() where counts[i] > 0 {
            if counts[i] > best { best = counts[i]; mode = kept.count }
            kept.append(category)
        }
        guard !kept.isEmpty else { throw PreprocessingError.allMissing(column: name) }
        return (kept, mode)
    }
}
