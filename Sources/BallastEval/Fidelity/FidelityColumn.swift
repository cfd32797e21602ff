/// A feature column as fidelity validation sees it: numeric (compared by KS, correlations) or
/// categorical (compared by total variation, contingency tables), with what the real rows say
/// about its values.
///
/// These are SDMetrics' `numerical` and `categorical` sdtypes: a 0/1 flag column is numeric, as in
/// the file (for a two-valued column the KS statistic equals the total-variation distance anyway).
public struct FidelityColumn: Sendable, Equatable, Codable {
    /// Numeric or categorical.
    public enum Kind: String, Sendable, Equatable, Codable {
        /// Numbers (SDMetrics' `numerical`).
        case numeric
        /// Category labels (SDMetrics' `categorical`).
        case categorical
    }

    /// The column name.
    public var name: String
    /// Numeric or categorical.
    public var kind: Kind
    /// Numeric columns: every real value is an integer.
    public var integer: Bool
    /// Numeric columns: every real value is 0 or 1.
    public var binary: Bool
    /// Numeric columns: heavy-tailed by the preprocessing's rule (`max > 100 × (p75 + 1)`, no
    /// negative values), so charts use a log axis.
    public var heavyTailed: Bool
    /// Categorical columns: the real file's categories in order of first appearance, then the
    /// categories only the synthetic file has. Codes in both tables index this list.
    public var categories: [String]
    /// Categorical columns: how many of ``categories`` occur in the real file.
    public var realCategoryCount: Int

    /// Creates a column description.
    public init(name: String, kind: Kind, integer: Bool = false, binary: Bool = false, heavyTailed: Bool = false,
                categories: [String] = [], realCategoryCount: Int = 0) {
        self.name = name
        self.kind = kind
        self.integer = integer
        self.binary = binary
        self.heavyTailed = heavyTailed
        self.categories = categories
        self.realCategoryCount = realCategoryCount
    }
}
