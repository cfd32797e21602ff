import BallastCore
import BallastData

extension ExperimentData {
    /// SHA-256 of the data this dataset read: class names, then for each table (training, then each
    /// test set) its labels and every feature column's name and values. Shards of one experiment
    /// run on different machines must have the same fingerprint to be merged.
    var fingerprint: String {
        var hash = SHA256()
        func feed(_ text: String) { hash.update(Array(text.utf8) + [0]) }
        func feed(_ table: LabeledTable) {
            feed("rows \(table.rowCount)")
            table.labels.withUnsafeBytes { hash.update($0) }
            for column in table.features.columns {
                feed(column.name)
                switch column.values {
                case .numeric(let values):
                    feed("numeric")
                    values.withUnsafeBytes { hash.update($0) }
                case .categorical(let codes, let categories):
                    feed("categorical")
                    categories.forEach(feed)
                    codes.withUnsafeBytes { hash.update($0) }
                }
            }
        }
        classNames.forEach(feed)
        for table in tables {
            feed(table.name)
            feed(table.table)
        }
        return SHA256.hex(hash.finalize())
    }
}
