# bash completion for pagecheck-replay                       -*- shell-script -*-
# Options are read from the program's own --help (per command), so they cannot drift.

_pagecheck_replay()
{
	local cur prev words cword cmd=""
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	local commands="diff inject-campaign live record"
	local w
	for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
		case " $commands " in
		*" $w "*) cmd=$w; break ;;
		esac
	done

	case $cur in
	--model=*)
		COMPREPLY=($(compgen -W "window kernel" -- "${cur#*=}"))
		return ;;
	--format=*)
		COMPREPLY=($(compgen -W "text json ktap junit" -- "${cur#*=}"))
		return ;;
	--replay=*)
		COMPREPLY=($(compgen -W "auto kmem" -- "${cur#*=}"))
		return ;;
	--reader=*)
		COMPREPLY=($(compgen -W "auto flyrecord libtracecmd" -- "${cur#*=}"))
		return ;;
	--input-format=*)
		COMPREPLY=($(compgen -W "auto tracedat perf text" -- "${cur#*=}"))
		return ;;
	--threads=*)
		COMPREPLY=($(compgen -W "auto 1 2" -- "${cur#*=}"))
		return ;;
	--fail-on=*)
		COMPREPLY=($(compgen -W "all none double-alloc double-free invariant" -- "${cur#*=}"))
		return ;;
	--kallsyms=* | --vmlinux=* | --suppressions=* | --write-suppressions=* | --input=* | --output=*)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "${cur#*=}"))
		return ;;
	--modules-dir=*)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "${cur#*=}"))
		return ;;
	-*)
		local opts
		opts=$("${COMP_WORDS[0]}" $cmd --help 2>/dev/null |
			grep -o -- '--[a-z][a-z0-9-]*=\?' | sort -u)
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		# Options without a value take a trailing space.
		[ ${#COMPREPLY[@]} -eq 1 ] && [ "${COMPREPLY[0]%=}" = "${COMPREPLY[0]}" ] &&
			COMPREPLY[0]="${COMPREPLY[0]} "
		return ;;
	esac

	if [ -z "$cmd" ] && [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
	fi
	compopt -o filenames 2>/dev/null
	COMPREPLY+=($(compgen -f -- "$cur"))
}
complete -F _pagecheck_replay pagecheck-replay
