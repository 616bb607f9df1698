"""The reviewer's rules: pure functions from a project (and one of its indicators) and the settings to
findings. `kit` holds what every rule needs, `project` the project and level rules and `review`, `values`
the rules on target values."""
