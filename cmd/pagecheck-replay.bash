# bash completion for pagecheck-replay                       -*- shell-script -*-
# Options are read from the program's own --help (per command), so they cannot drift; the
# values of the options that take one of a list are below (tests/e2e/completion.sh checks that
# the program accepts each). Install: cmake --install puts this file in
# share/bash-completion/completions/pagecheck-replay; without bash-completion, source it.

# _pagecheck_replay_values OPTION VALUE: COMPREPLY for the value of OPTION that starts with VALUE;
# returns 1 when OPTION takes no value we know how to complete.
_pagecheck_replay_values()
{
	local opt=$1 value=$2 words="" head=""

	case $opt in
	--model) words="window kernel" ;;
	--format) words="text json ktap junit" ;;
	--replay) words="auto kmem" ;;
	--reader) words="auto flyrecord libtracecmd" ;;
	--threads) words="auto 1 2 3 4" ;;
	--input-format) words="auto trace.dat perf.data text" ;;
	--fail-on | --events)
		# A comma list: complete its last item, keep the ones before.
		if [ "$opt" = --fail-on ]; then
			words="all none double-alloc double-free invariant"
		else
			words="all mm_page_alloc mm_page_free mm_page_free_batched"
			words+=" mm_page_alloc_zone_locked mm_page_pcpu_drain"
		fi
		case $value in
		*,*) head=${value%,*}, ;;
		esac
		value=${value##*,}
		compopt -o nospace 2>/dev/null
		;;
	--kallsyms | --vmlinux | --suppressions | --write-suppressions | --output | -o)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$value"))
		return 0 ;;
	--modules-dir | --tracefs)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$value"))
		return 0 ;;
	*) return 1 ;;
	esac
	COMPREPLY=($(compgen -P "$head" -W "$words" -- "$value"))
	return 0
}

_pagecheck_replay()
{
	local cur prev cmd="" opt="" value="" prefix="" w i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	local commands="diff help inject-campaign live record replay"
	for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
		case " $commands " in
		*" $w "*) cmd=$w; break ;;
		esac
	done
	if [ "$cmd" = help ]; then
		[ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "${commands/help /}" -- "$cur"))
		return
	fi

	# bash splits "--opt=VALUE" at '=' (it is in COMP_WORDBREAKS): "--opt" "=" "VALUE", and
	# completes only VALUE. Where '=' is no word break the word arrives whole, and so must the
	# completions.
	if [ "$cur" = "=" ] && [[ $prev == --* ]]; then
		opt=$prev
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ] &&
		[[ ${COMP_WORDS[COMP_CWORD - 2]} == --* ]]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
		value=$cur
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		value=${cur#*=}
		prefix=$opt=
	elif [[ $prev == -* ]] && [[ $cur != -* ]]; then
		# "--opt VALUE" and "-o FILE": getopt_long takes the next word as the value.
		_pagecheck_replay_values "$prev" "$cur" && return
	fi
	if [ -n "$opt" ]; then
		_pagecheck_replay_values "$opt" "$value" || return
		[ -n "$prefix" ] && COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
		return
	fi

	case $cur in
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
