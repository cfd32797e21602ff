import BallastLearn

/// The `--help` listing of catalogue entries: names and aliases, summary, parameters with defaults.
func catalogListing<P>(_ entries: [CatalogEntry<P>]) -> String {
    entries.map { entry in
        let names = ([entry.name] + entry.aliases).joined(separator: ", ")
        let params = entry.parameters.map { "\($0.name)=\($0.defaultValue)" }.joined(separator: " ")
        return "  \(names): \(entry.summary)" + (params.isEmpty ? "" : "\n      [\(params)]")
    }.joined(separator: "\n")
}
