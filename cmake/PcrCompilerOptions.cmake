# Warnings and sanitizers for every target of the project, through one INTERFACE target.
add_library(pcr_compiler_options INTERFACE)
target_compile_options(pcr_compiler_options INTERFACE
	-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
	-Wno-unused-parameter)
target_compile_definitions(pcr_compiler_options INTERFACE _GNU_SOURCE)
if(PCR_WERROR)
	target_compile_options(pcr_compiler_options INTERFACE -Werror)
endif()
if(PCR_SANITIZE)
	set(pcr_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=all
		-fno-omit-frame-pointer)
	target_compile_options(pcr_compiler_options INTERFACE ${pcr_sanitizers})
	target_link_options(pcr_compiler_options INTERFACE ${pcr_sanitizers})
endif()
if(PCR_TSAN)
	# The reader thread of a pipelined replay (cmd/pipeline.c) against the replaying one.
	set(pcr_tsan -fsanitize=thread -fno-omit-frame-pointer)
	target_compile_options(pcr_compiler_options INTERFACE ${pcr_tsan})
	target_link_options(pcr_compiler_options INTERFACE ${pcr_tsan})
endif()
