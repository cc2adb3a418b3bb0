"""The classic gRPC Python tutorial's server design, as a peer: a dict lookup behind grpcio.

Stubs are generated at start-up with grpc_tools.protoc from proto/teams.proto into a temp dir
(no generated code in git). Run with Debian's /usr/bin/python3 (python3-grpcio, python3-grpc-tools).
Env: TEAMS_FILE (JSON array of {city, nickname}), PROTO_DIR. Prints {"msg":"listening","port":N}.
"""
import json
import re
import os
import signal
import sys
import tempfile
from concurrent import futures

import grpc
from grpc_tools import protoc


def generate_stubs(proto_dir, out_dir):
    # Debian's grpc_tools bundles protoc 3.5, which refuses proto3 `optional` (PutTeamRequest's
    # if_version). This server reads no such field, so a copy without the label does.
    with open(os.path.join(proto_dir, "teams.proto"), encoding="utf-8") as f:
        contract = re.sub(r"\boptional\s+", "", f.read())
    with open(os.path.join(out_dir, "teams.proto"), "w", encoding="utf-8") as f:
        f.write(contract)
    code = protoc.main(["protoc", f"-I{out_dir}", f"--python_out={out_dir}",
                        f"--grpc_python_out={out_dir}", os.path.join(out_dir, "teams.proto")])
    if code != 0:
        raise SystemExit(f"grpc_tools.protoc failed with {code}")
    sys.path.insert(0, out_dir)


def main():
    out_dir = tempfile.mkdtemp(prefix="teams-py-")
    generate_stubs(os.environ["PROTO_DIR"], out_dir)
    import teams_pb2
    import teams_pb2_grpc

    with open(os.environ["TEAMS_FILE"], encoding="utf-8") as f:
        teams = {t["city"].lower(): t for t in json.load(f)}

    class Teams(teams_pb2_grpc.TeamsServicer):
        def GetTeam(self, request, context):
            team = teams.get(request.city.strip().lower())
            if team is None:
                return teams_pb2.TeamResponse(city=request.city, nickname="not a member")
            return teams_pb2.TeamResponse(city=team["city"], nickname=team["nickname"], found=True)

    # The tutorial's own choice: a thread pool of 10 workers.
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    teams_pb2_grpc.add_TeamsServicer_to_server(Teams(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(json.dumps({"msg": "listening", "port": port}), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: server.stop(0))
    server.wait_for_termination()


if __name__ == "__main__":
    main()
