"""The demo profile: about six months of generated history, labelled as generated everywhere."""

from pacekeeper.demo.generate import DEMO_NAME, DemoHistory, generate_history
from pacekeeper.demo.install import install_demo

__all__ = ["DEMO_NAME", "DemoHistory", "generate_history", "install_demo"]
