// fresh_cpu N PROGRAM [ARGS...]: runs PROGRAM N times, one after another,
// each a new process (its standard output to /dev/null), and prints the
// p50, p90 and mean of each child's CPU time (user + sys from wait4: exec,
// dynamic loading and exit included). How bench/README.md measures a fresh
// process as a user meets it (a kiosk start, a CLI search).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <vector>

int main(int argc, char** argv) {
  const int n = argc >= 3 ? std::atoi(argv[1]) : 0;
  if (n <= 0 || n > 100000) {
    std::fprintf(stderr, "usage: fresh_cpu N PROGRAM [ARGS...]\n");
    return 2;
  }
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    const pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
      const int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, STDOUT_FILENO);
      execv(argv[2], argv + 2);
      _exit(127);
    }
    int status = 0;
    rusage ru{};
    if (wait4(pid, &status, 0, &ru) != pid) return 1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "%s failed (status %d)\n", argv[2], status);
      return 1;
    }
    auto to_ms = [](const timeval& t) {
      return static_cast<double>(t.tv_sec) * 1e3 + t.tv_usec / 1e3;
    };
    ms.push_back(to_ms(ru.ru_utime) + to_ms(ru.ru_stime));
  }
  std::sort(ms.begin(), ms.end());
  std::printf("n=%d p50 %.2f p90 %.2f mean %.2f ms CPU\n", n, ms[ms.size() / 2],
              ms[ms.size() * 9 / 10], std::accumulate(ms.begin(), ms.end(), 0.0) / n);
  return 0;
}
