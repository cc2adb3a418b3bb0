"""The tutorial's client: looks up three cities and prints "<city> <nickname>".

Run against a server (default localhost:50051) after generating the stubs:
    /usr/bin/python3 -m grpc_tools.protoc -I . --python_out=OUT --grpc_python_out=OUT teams.proto
    PYTHONPATH=OUT /usr/bin/python3 client.py localhost:50051
"""

import sys

import grpc

import teams_pb2
import teams_pb2_grpc


def run(target: str) -> None:
    with grpc.insecure_channel(target) as channel:
        stub = teams_pb2_grpc.TeamsStub(channel)
        for city in ("Chicago", "Philadelphia", "Miami"):
            response = stub.GetTeam(teams_pb2.TeamRequest(city=city), timeout=10)
            print(response.city, response.nickname)


if __name__ == "__main__":
    run(sys.argv[1] if len(sys.argv) > 1 else "localhost:50051")
