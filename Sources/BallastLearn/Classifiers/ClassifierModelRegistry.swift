/// The fitted-model types that can be decoded type-erased (``AnyClassifierModel``): one line per
/// model type, so that saved ensembles and bundles can name what they hold.
public enum ClassifierModelRegistry {
    /// Every registered model type.
    public static let types: [any RegisteredClassifierModel.Type] = [
        DecisionTreeModel.self,
        RandomForestModel.self,
        LogisticRegressionModel.self,
        GradientBoostingModel.self,
        KNearestNeighborsModel.self,
        VotingModel.self,
        MLPModel.self,
        CNNModel.self,
        SemiSupervisedFlowModel.self,
    ]

    /// The type registered under `kind`.
    public static func type(forKind kind: String) -> (any RegisteredClassifierModel.Type)? {
        types.first { $0.kind == kind }
    }
}

extension DecisionTreeModel: RegisteredClassifierModel {
    public static var kind: String { "decision-tree" }
}

extension RandomForestModel: RegisteredClassifierModel {
    public static var kind: String { "random-forest" }
}

extension LogisticRegressionModel: RegisteredClassifierModel {
    public static var kind: String { "logistic-regression" }
}

extension GradientBoostingModel: RegisteredClassifierModel {
    public static var kind: String { "gradient-boosting" }
}

extension KNearestNeighborsModel: RegisteredClassifierModel {
    public static var kind: String { "k-nearest-neighbors" }
}

extension VotingModel: RegisteredClassifierModel {
    public static var kind: String { "voting" }
}

extension MLPModel: RegisteredClassifierModel {
    public static var kind: String { "mlp" }
}

extension CNNModel: RegisteredClassifierModel {
    public static var kind: String { "cnn" }
}
