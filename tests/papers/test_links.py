from dailypapers.papers.links import find_github_repo, find_project_page


def test_it_drops_the_full_stop_after_a_repository():
    assert find_github_repo("Code is available at https://github.com/x/y.") == "https://github.com/x/y"


def test_it_keeps_dots_inside_repository_names_and_drops_git_suffix():
    assert (
        find_github_repo("see https://github.com/mit-han-lab/llm-awq.git)") == "https://github.com/mit-han-lab/llm-awq"
    )
    assert find_github_repo("(https://github.com/a/b.c).") == "https://github.com/a/b.c"
    assert find_github_repo("https://github.com/a/repo/tree/main/src, more") == "https://github.com/a/repo"


def test_it_finds_no_repository_where_there_is_none():
    assert find_github_repo("No code. See https://example.org/x") == ""
    assert find_github_repo("https://github.com/orgs/foo") == ""


def test_it_finds_project_pages():
    assert find_project_page("Project page: https://foo.github.io/bar/.") == "https://foo.github.io/bar/"
    assert find_project_page("Our website https://example.org/proj shows demos") == "https://example.org/proj"
    assert find_project_page("Code: https://github.com/a/b") == ""
