# Included by each function module's Makefile: `sam build` (Metadata BuildMethod: makefile, built in
# source, see samconfig.toml) calls `make build-<LogicalId>` in the module's directory with
# ARTIFACTS_DIR set; every logical id of the module gets the module's trimmed Maven artifact.
MODULE_DIR := $(CURDIR)
ROOT := $(abspath $(MODULE_DIR)/../..)

build-%:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (run this through sam build)" >&2; exit 2; }
	bash "$(ROOT)/scripts/lib/sam-artifact" "$(notdir $(MODULE_DIR))" "$(ARTIFACTS_DIR)"
