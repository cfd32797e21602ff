/// Not written yet.
func benchGEMM(_ arguments: [String]) throws {
    throw BenchError("not implemented")
}
