-- A process that fails to start with an error whose text reads like one of
-- the suite's own ("unknown wallet"): it is still the process's failure, a
-- verdict (exit 1), never "the suite could not run" (exit 2).
error("unknown wallet: \"alice\" is not a wallet of this world (make it with Wallet first)")
