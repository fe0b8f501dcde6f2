# signpost_target_defaults(<target>): the project's warning set, and
# -Werror when SIGNPOST_WERROR is ON (CI turns it on).
function(signpost_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
    -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough
    # Designated initializers (SearchRequest{.text = ...}) leave the rest defaulted by design.
    -Wno-missing-field-initializers)
  if(SIGNPOST_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
