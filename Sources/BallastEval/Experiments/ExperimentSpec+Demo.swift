extension ExperimentSpec {
    /// Simulated rows of the demo (`--quick`: ``demoQuickRows``).
    public static let demoRows = 20_000
    /// Simulated rows of the quick demo.
    public static let demoQuickRows = 10_000

    /// The `ballast demo` preset: one seed, the default balancings and detectors, on the simulator
    /// (stratified 70/30) or on NSL-KDD (KDDTrain+ — the 20% subset when quick — → KDDTest+ and
    /// KDDTest-21).
    /// - Parameters:
    ///   - nslKDD: the NSL-KDD directory, or `nil` for the simulator.
    ///   - rows: simulated rows (default ``demoRows``, quick ``demoQuickRows``).
    ///   - balancings: the balancings (default ``BalancingChoice/defaults``).
    ///   - detectors: the detectors (default ``DetectorChoice/defaults``).
    ///   - seed: the one seed.
    ///   - quick: lighter detectors and less data.
    public static func demo(nslKDD: String?, rows: Int? = nil, balancings: [BalancingChoice] = BalancingChoice.defaults,
                            detectors: [DetectorChoice] = DetectorChoice.defaults, seed: UInt64, quick: Bool) -> ExperimentSpec {
        let dataset = nslKDD.map { ExperimentDataset.nslKDD(directory: $0, trainSubset: quick) }
            ?? .simulator(rows: rows ?? (quick ? demoQuickRows : demoRows))
        return ExperimentSpec(name: "demo", datasets: [dataset], balancings: balancings, detectors: detectors, seeds: [seed], quick: quick)
    }
}
