public enum FledgeNN {}
