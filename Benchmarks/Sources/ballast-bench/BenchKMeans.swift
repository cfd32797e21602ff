/// Not written yet.
func benchKMeans(_ arguments: [String]) throws {
    throw BenchError("not implemented")
}
