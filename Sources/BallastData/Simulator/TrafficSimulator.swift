import BallastCore

/// A seeded generator of NSL-KDD-like connection records: the embedded default dataset, labelled
/// `"simulated"` wherever it appears.
///
/// Records have the 41 features of ``NSLKDDSchema/featureNames`` in order (`protocol_type`,
/// `service` and `flag` categorical; binary features 0/1; counters integral; rates in [0, 1] with two
/// decimals), five-class labels in ``NSLKDDSchema/fiveClassNames`` order, and a metadata column
/// `attack` with the attack name (`normal`, `neptune`, `smurf`, `satan`, `warezclient`,
/// `buffer_overflow`, …).
///
/// The classes are drawn from per-attack profiles with heavy tails (log-normal byte counts,
/// durations mostly 0 with a long tail) and correlated rates (a SYN flood has `serror_rate` ≈
/// `srv_serror_rate` ≈ `dst_host_serror_rate` ≈ 1). The overlap is deliberate, as in the real data:
/// R2L connections are ordinary ftp/telnet/http sessions that differ only sometimes (hot indicators,
/// failed logins, guest logins, longer durations); U2R sessions resemble R2L and Normal and only
/// sometimes show a root shell or file creations; a fifth of Probe traffic is stealthy and
/// Normal-looking; 2% of DoS records are low-rate floods drawn from the Normal profile, and 1.5% of
/// Normal records are drawn from the DoS or Probe profiles (failed-connection bursts, misconfigured
/// clients: overlap that behaves like label noise). A nearest-
/// neighbour baseline therefore scores high but not perfectly, and recall on R2L and U2R stays
/// clearly below recall on Normal and DoS.
public struct TrafficSimulator: Sendable, Equatable, Codable {
    /// Number of records to generate (default 20,000).
    public var rowCount: Int
    /// Class proportions in ``NSLKDDSchema/fiveClassNames`` order (default KDDTrain+'s: 53.46%,
    /// 36.46%, 9.25%, 0.79%, 0.04%). Negative or non-finite entries count as 0, missing entries as 0,
    /// extra entries are ignored; if none is positive the classes are equally likely.
    public var classProportions: [Double]
    /// The fewest rows any class gets (default 15, so U2R has 15 rows at the default size instead of
    /// the 8 its proportion would give). When `rowCount` is below `5 × minimumClassCount`, the floor
    /// drops to `rowCount / 5`: with 10 rows every class gets 2; with fewer than 5 rows the floor is
    /// 0 and the rarest classes are absent.
    public var minimumClassCount: Int

    /// Creates a simulator configuration.
    /// - Parameters:
    ///   - rowCount: number of records (default 20,000; 0 gives an empty table).
    ///   - classProportions: five class proportions (default NSL-KDD's training mix).
    ///   - minimumClassCount: floor on rows per class (default 15).
    public init(rowCount: Int = 20_000, classProportions: [Double] = TrafficSimulator.nslKDDProportions,
                minimumClassCount: Int = 15) {
        self.rowCount = rowCount
        self.classProportions = classProportions
        self.minimumClassCount = minimumClassCount
    }

    /// KDDTrain+'s five-class proportions.
    public static let nslKDDProportions = [0.5346, 0.3646, 0.0925, 0.0079, 0.0004]

    /// Rows per class for ``rowCount`` (exact total; see ``minimumClassCount`` for the floor).
    public var classCounts: [Int] {
        let k = NSLKDDSchema.fiveClassNames.count
        let n = max(0, rowCount)
        var p = (0..<k).map { i -> Double in
            let v = i < classProportions.count ? classProportions[i] : 0
            return v.isFinite && v > 0 ? v : 0
        }
        if p.allSatisfy({ $0 == 0 }) { p = Array(repeating: 1, count: k) }
        let floor = max(0, min(minimumClassCount, n / k))
        var fixed = [Bool](repeating: false, count: k)
        var ideal = [Double](repeating: 0, count: k)
        while true {
            let free = n - floor * fixed.filter { $0 }.count
            let mass = (0..<k).filter { !fixed[$0] }.reduce(0.0) { $0 + p[$1] }
            var changed = false
            for i in 0..<k where !fixed[i] {
                ideal[i] = mass > 0 ? p[i] / mass * Double(free) : 0
                if ideal[i] < Double(floor) { fixed[i] = true; changed = true }
            }
            if !changed { break }
        }
        var counts = (0..<k).map { fixed[$0] ? floor : Int(ideal[$0]) }
        var rest = n - counts.reduce(0, +)
        let order = (0..<k).filter { !fixed[$0] }.sorted {
            let a = ideal[$0] - Double(counts[$0]), b = ideal[$1] - Double(counts[$1])
            return a != b ? a > b : $0 < $1
        }
        var i = 0
        while rest > 0 && !order.isEmpty {
            counts[order[i % order.count]] += 1
            rest -= 1
            i += 1
        }
        return counts
    }

    /// Refuses a ``rowCount`` whose table (a `Double` per feature, the labels) cannot fit in the
    /// machine's memory; ``generate(using:)`` calls it before allocating anything.
    /// - Throws: ``MemoryBudgetError`` giving the size.
    public func requireMemory() throws {
        try MemoryBudget.require(rows: rowCount, columns: NSLKDDSchema.featureNames.count + 2, bytesPerValue: 8,
                                 for: "a simulated dataset of \(rowCount) rows")
    }

    /// Generates the records.
    /// - Parameter rng: the random source; the same seed gives the same table.
    /// - Returns: features (41 columns), five-class labels, metadata column `attack`, source `"simulated"`.
    /// - Throws: ``MemoryBudgetError`` when ``rowCount`` rows cannot fit in the machine's memory.
    public func generate(using rng: inout some RandomNumberGenerator) throws -> LabeledTable {
        try requireMemory()
        var labels: [Int] = []
        for (c, count) in classCounts.enumerated() { labels.append(contentsOf: repeatElement(c, count: count)) }
        rng.shuffle(&labels)
        let n = labels.count
        let width = NSLKDDSchema.featureNames.count
        var numeric = [[Double]](repeating: [Double](repeating: 0, count: n), count: width)
        var protocols = CategoryBuilder(), services = CategoryBuilder(), flags = CategoryBuilder(), attacks = CategoryBuilder()
        var record = SimulatedRecord()
        for (row, label) in labels.enumerated() {
            record.reset()
            switch label {
            case 0: record.drawNormal(using: &rng)
            case 1: record.drawDoS(using: &rng)
            case 2: record.drawProbe(using: &rng)
            case 3: record.drawR2L(using: &rng)
            default: record.drawU2R(using: &rng)
            }
            record.finish()
            for f in 0..<width { numeric[f][row] = record.values[f] }
            protocols.append(record.protocolName)
            services.append(record.service)
            flags.append(record.flag)
            attacks.append(record.attack)
        }
        let columns = NSLKDDSchema.featureNames.enumerated().map { f, name -> TableColumn in
            switch name {
            case "protocol_type": return protocols.column(name)
            case "service": return services.column(name)
            case "flag": return flags.column(name)
            default: return TableColumn(name: name, values: .numeric(numeric[f]))
            }
        }
        return LabeledTable(features: Table(columns: columns), labels: labels, classNames: NSLKDDSchema.fiveClassNames,
                            metadata: Table(columns: [attacks.column("attack")]), source: "simulated")
    }
}

/// Category codes in first-appearance order, as ``ColumnValues/categorical(codes:categories:)`` expects.
private struct CategoryBuilder {
    var codes: [Int32] = []
    var categories: [String] = []
    var index: [String: Int32] = [:]

    mutating func append(_ value: String) {
        if let code = index[value] {
            codes.append(code)
        } else {
            let code = Int32(categories.count)
            index[value] = code
            categories.append(value)
            codes.append(code)
        }
    }

    func column(_ name: String) -> TableColumn {
        TableColumn(name: name, values: .categorical(codes: codes, categories: categories))
    }
}
