/// Not written yet.
func benchCSV(_ arguments: [String]) throws {
    throw BenchError("not implemented")
}
