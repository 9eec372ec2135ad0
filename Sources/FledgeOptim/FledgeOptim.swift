public enum FledgeOptim {}
