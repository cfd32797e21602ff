print("ballast-bench")
