#include "app/cli.hpp"

int main(int argc, char** argv) {
    return vokter::app::run_cli(argc, argv);
}
