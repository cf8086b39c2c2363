rootProject.name = "catalog-graph"
