"""A Teams server on Python grpcio (gRPC C-core), to show the gateway works in
front of any gRPC server, not only ours. C-core refuses calls without `te: trailers`
("Missing :te header"), so every OK answer here also proves the gateway sends it.

Usage: /usr/bin/python3 teams_server.py STUBS_DIR
STUBS_DIR holds teams_pb2.py and teams_pb2_grpc.py, generated from proto/teams.proto
by grpc_tools.protoc at test time. Prints {"port": N} once serving; stops when
stdin closes or on SIGTERM.
"""

import json
import sys
import threading
from concurrent import futures

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
import teams_pb2  # noqa: E402
import teams_pb2_grpc  # noqa: E402

TEAMS = {
    "chicago": ("Chicago", "Jackals"),
    "detroit": ("Detroit", "Wheels"),
    "seattle": ("Seattle", "Orcas"),
}


class Teams(teams_pb2_grpc.TeamsServicer):
    def GetTeam(self, request, context):
        echo = dict(context.invocation_metadata()).get("x-echo")
        if echo is not None:
            context.send_initial_metadata((("x-echo", echo),))
            context.set_trailing_metadata((("x-echo-trailer", echo),))
        city = request.city.strip()
        if not city:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "city: must be 1 to 128 characters, got 0")
        found = TEAMS.get(city.lower())
        if found is None:
            return teams_pb2.TeamResponse(city=city, nickname="not a member", found=False)
        return teams_pb2.TeamResponse(city=found[0], nickname=found[1], found=True)

    def ListTeams(self, request, context):
        prefix = request.prefix.strip().lower()
        matches = sorted(v for k, v in TEAMS.items() if k.startswith(prefix))
        if request.limit:
            matches = matches[: request.limit]
        for city, nickname in matches:
            yield teams_pb2.TeamResponse(city=city, nickname=nickname, found=True)


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    teams_pb2_grpc.add_TeamsServicer_to_server(Teams(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(json.dumps({"port": port}), flush=True)
    # The test closes stdin to stop us; a signal works too.
    stopper = threading.Thread(target=lambda: (sys.stdin.read(), server.stop(0)), daemon=True)
    stopper.start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
