// Default sanitizer options of every fuzz target, so that a target run by hand behaves as under
// script/fuzz and ctest: any UBSan report stops the run (and leaves a reproducer), with a stack,
// except the suppressed reports of ubsan.supp (not our code).
extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1:suppressions=" LATCHKEY_UBSAN_SUPPRESSIONS;
}
