"""The aksnet/v1 ClusterNetwork spec: typed model (`types`), loader (`load`), schema check (`schema`)."""
