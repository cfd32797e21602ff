/// Not written yet.
func benchKNN(_ arguments: [String]) throws {
    throw BenchError("not implemented")
}
